"""The English text of the report, the Report page and the actor-map import (message ids ``report.*``).

These are the defaults :func:`dnh_graph.i18n.translate` falls back to; ``dnh_graph/locales/en.json`` holds
the same entries for translators (``tests/test_report.py`` checks that the two agree).
"""

from __future__ import annotations

__all__ = ["MESSAGES", "text"]

MESSAGES: dict[str, str] = {
    "report.title": "Do No Harm analysis report",
    "report.title_summary": "Do No Harm summary for managers",
    "report.footer": "dnh-graph · Do No Harm",
    "report.meta.key": "Analysis",
    "report.meta.location": "Place",
    "report.meta.start_date": "Started",
    "report.meta.date": "Report date",
    "report.meta.version": "Version",
    "report.meta.revision": "revision {n}",
    "report.meta.row_version": "version {n}",
    "report.meta.unsaved": "not saved in a database",
    "report.meta.updated": "last changed {at}",
    "report.meta.review": "As of review",
    "report.meta.no_review": "no review yet",
    "report.notice.pseudonymised": (
        "Pseudonymised: actors marked sensitive are shown as 'Actor A1'-style labels, their descriptions"
        " and tags are left out, and their names are replaced wherever they were written."
    ),
    "report.notice.sensitive": (
        "This report names {n} actor(s) marked sensitive. Share it only with people who may see those "
        "names, or export the pseudonymised version."
    ),
    "report.section.context": "Context",
    "report.section.actors": "Actors and relationships",
    "report.section.factors": "Dividers and connectors",
    "report.section.details": "Details of the intervention",
    "report.section.impacts": "Impact matrix",
    "report.section.pathways": "Harm pathways",
    "report.section.scores": "Scores",
    "report.section.options": "Options",
    "report.section.trends": "Trends",
    "report.section.changes": "What changed",
    "report.section.monitoring": "Monitoring",
    "report.context.place": "Place",
    "report.context.holds": "What the analysis holds",
    "report.context.counts": (
        "{actors} actors, {relationships} relationships, {factors} dividers and connectors, {details} "
        "details, {impacts} impacts, {options} options, {reviews} reviews."
    ),
    "report.context.context": "The context",
    "report.context.conflict": "The conflict",
    "report.actors.table": "Actors",
    "report.actors.relationships": "Relationships",
    "report.factors.intro": (
        "The five DNH categories; priority 1–5 weighs every impact on the factor. Under each factor: the"
        " actors linked to it, with their role."
    ),
    "report.details.intro": (
        "The details of the intervention by the seven DNH questions, with the weight of their harmful "
        "and helpful impacts (magnitude × priority). Inactive details keep their figures but count in no"
        " total."
    ),
    "report.impacts.intro": (
        "+m strengthens, −m weakens, m the magnitude 1–3. Red: the impacts of the cell do harm "
        "(strengthen a divider or weaken a connector); green: they help."
    ),
    "report.pathways.intro": (
        "Every harmful impact of an active detail, heaviest first: weight = magnitude × the factor's "
        "priority."
    ),
    "report.options.intro": (
        "Ranked by delta (the option's net minus the net of the detail it changes; 0 for an addition), "
        "then feasibility, cost and key."
    ),
    "report.options.delta_chart": "Delta of each option",
    "report.scores.inactive": "{n} inactive detail(s) are shown faded and count in no total.",
    "report.chart.details": "Harm, help and net of each detail",
    "report.chart.details_caption": (
        "Red bars: harm; green bars: help; black mark and figure on the right: net (help − harm). Faded "
        "rows are inactive details."
    ),
    "report.chart.map_cut": (
        "The map shows the {shown} actors with the most relationships, of {total}; the table lists every actor."
    ),
    "report.chart.trend": "Context pressure and capacity for peace at each review",
    "report.chart.trend_caption": (
        "Pressure: Σ strength × priority over dividers. Capacity: the same over connectors. Each factor "
        "counts its latest reading on or before the review."
    ),
    "report.chart.map": "Actors and their relationships",
    "report.chart.map_caption": (
        "Symbol size: the actor's influence as of the review; shape and colour: the type of actor; lines:"
        " the type of relationship (arrows for directed ones), drawn as on the Network screen."
    ),
    "report.harm": "Harm",
    "report.help": "Help",
    "report.net": "Net",
    "report.figure.harm": "harm: weight of harmful impacts of active details",
    "report.figure.help": "help: weight of helpful impacts of active details",
    "report.figure.net": "net = help − harm",
    "report.pressure": "Context pressure (dividers)",
    "report.capacity": "Capacity for peace (connectors)",
    "report.pressure_short": "Pressure",
    "report.capacity_short": "Capacity",
    "report.dividers": "Dividers",
    "report.connectors": "Connectors",
    "report.sensitive": "sensitive",
    "report.inactive": "inactive",
    "report.addition": "an addition",
    "report.more": "… and {n} more",
    "report.and_more": "(+{n} more)",
    "report.robustness": (
        "Robustness: the top option ({top}) stays on top in {share}% of the ways the predicted "
        "magnitudes could each be one step off."
    ),
    "report.robustness_one": "Robustness needs at least two options to compare.",
    "report.trend_last": "At review {review} ({date}): pressure {pressure}, capacity {capacity}.",
    "report.trend_first": "At the first review ({review}): pressure {pressure}, capacity {capacity}.",
    "report.changes_between": "From review {before} ({before_date}) to review {after} ({after_date}).",
    "report.changes_actors": "Actors whose influence or stance changed",
    "report.changes_rest": "{unchanged} factor(s) unchanged, {unread} never read yet.",
    "report.change.worse": "Worse",
    "report.change.better": "Better",
    "report.change.appeared": "Appeared",
    "report.change.disappeared": "Disappeared",
    "report.monitoring_notes": "Ratings at review {review} ({date})",
    "report.summary.best_option": "Best option: {key} {title} (delta {delta}).",
    "report.summary.top_pathways": "Top harm pathways ({n} of {total})",
    "report.summary.best_options": "Best options ({n} of {total})",
    "report.empty.actors": "No actors yet.",
    "report.empty.factors": "No dividers or connectors yet.",
    "report.empty.details": "No details of the intervention yet.",
    "report.empty.impacts": "No impacts yet: say how each detail strengthens or weakens the dividers and connectors.",
    "report.empty.pathways": "No harm pathway: no active detail strengthens a divider or weakens a connector.",
    "report.empty.options": "No options yet.",
    "report.empty.trends": "No review yet: trends need a review with the strength of each divider and connector.",
    "report.empty.changes": "Changes need two reviews up to the one this report is for.",
    "report.empty.no_change": "No divider or connector changed strength.",
    "report.empty.monitoring": "No DNH monitoring ratings yet.",
    "report.empty.monitoring_review": "No criterion was rated at review {review}.",
    "report.col.key": "Key",
    "report.col.name": "Name",
    "report.col.type": "Type",
    "report.col.stance": "Stance",
    "report.col.influence": "Influence",
    "report.col.influence_short": "Infl.",
    "report.col.description": "Description",
    "report.col.from": "From",
    "report.col.to": "To",
    "report.col.strength": "Str.",
    "report.col.note": "Note",
    "report.col.category": "Category",
    "report.col.priority": "Priority",
    "report.col.question": "Question",
    "report.col.activity": "Activity",
    "report.col.detail": "Detail",
    "report.col.factor": "Factor",
    "report.col.effect": "Effect",
    "report.col.how": "Mechanism · pattern",
    "report.col.actors": "Actors linked",
    "report.col.evidence": "Evidence",
    "report.col.weight": "Wt.",
    "report.col.rank": "#",
    "report.col.option": "Option",
    "report.col.changes": "Changes detail",
    "report.col.status": "Status",
    "report.col.feasibility_short": "Feas.",
    "report.col.cost": "Cost",
    "report.col.delta": "Delta",
    "report.col.side_effects": "Side effects",
    "report.col.predicted": "Predicted impacts",
    "report.col.review": "Review",
    "report.col.date": "Date",
    "report.col.title": "Title",
    "report.col.events": "What happened",
    "report.col.change": "Change",
    "report.col.before": "Before",
    "report.col.after": "After",
    "report.col.criterion": "DNH criterion",
    "report.col.rating": "Rating",
    "report.col.recommendation": "Recommendation",
    "report.monitoring_hidden": "Only the latest reviews are shown as columns; {n} earlier review(s) are left out.",
    "report.import.counts": "Read {actors} actors and {relationships} relationships from the {fmt} file.",
    "report.import.keys_from_ids": "Actor keys are the node ids of the file.",
    "report.import.keys_generated": (
        "Actor keys were numbered A1, A2, … in file order (the node ids were not short safe ids)."
    ),
    "report.import.actor_unknown": "{n} actor(s) of type '{original}' became '{mapped}' (not a DNH actor type).",
    "report.import.actor_missing": "{n} actor(s) without a type became '{mapped}'.",
    "report.import.relationship_unknown": (
        "{n} relationship(s) of type '{original}' became '{mapped}' (not a DNH relationship type)."
    ),
    "report.import.relationship_missing": "{n} relationship(s) without a type became '{mapped}'.",
    "report.import.synonym": "{n} × '{original}' read as '{mapped}'.",
    "report.import.weights": "Edge weights {low}–{high} became strength 1–3 by thirds of their range.",
    "report.import.self_loop": "Skipped a relationship of '{name}' with itself.",
    "report.import.ignored": "Attributes not brought in: {names}.",
    "report.page.intro": (
        "The report of **{name}**: choose what goes in, look at the preview, and download it or any "
        "other file of the analysis."
    ),
    "report.page.variant": "Report",
    "report.page.variant_full": "Full report",
    "report.page.variant_summary": "Summary (1–2 pages)",
    "report.page.review": "As of review",
    "report.page.review_help": (
        "Trends, monitoring and what changed run up to this review; network files show the network as of"
        " it."
    ),
    "report.page.no_review": "No review yet: the report shows the analysis as entered.",
    "report.page.pseudonymise": "Pseudonymise",
    "report.page.pseudonymise_help": (
        "Actors marked sensitive ({n} here) become 'Actor A1'-style labels in every file below; their "
        "descriptions and tags are left out, and their names are replaced wherever they were written."
    ),
    "report.page.pseudonymise_locked": (
        "Sensitive names are hidden (sidebar switch), so every file below is pseudonymised. Turn the switch"
        " off to export the names."
    ),
    "report.page.sections": "Sections",
    "report.page.no_sections": "Choose at least one section.",
    "report.page.preparing": "Preparing the {fmt} file…",
    "report.page.downloads": "Download",
    "report.page.pseudonymised_note": "Every file below is pseudonymised.",
    "report.page.preview": "Preview",
    "report.page.preview_help": (
        "The HTML report as downloaded: it opens offline in any browser; print it to PDF from the "
        "browser (A4, page breaks included)."
    ),
    "report.page.format_html": "HTML report",
    "report.page.format_xlsx": "Excel workbook",
    "report.page.format_csv": "CSV folder (zip)",
    "report.page.format_json": "JSON backup",
    "report.page.format_gexf": "GEXF (Gephi)",
    "report.page.format_graphml": "GraphML",
    "report.page.format_network": "Network (HTML)",
    "report.page.import_title": "Bring in an actor map from another tool",
    "report.page.import_help": (
        "A GEXF file (Gephi), a GraphML file (yEd, Cytoscape, networkx) or a Kumu JSON file (`elements` "
        "with label and type, `connections` with from, to and type) becomes a new analysis with its "
        "actors and relationships. Types that are not DNH types become 'Other' (actors) and 'Weak / "
        "informal' (relationships); you see what was mapped before you save."
    ),
    "report.page.import_file": "Actor map file",
    "report.page.import_reading": "Reading the file…",
    "report.page.import_refused": "The file was not brought in; nothing was changed.",
    "report.page.import_mapping": "**What was read**",
    "report.page.import_exists": "An analysis with the key '{key}' already exists: give another key.",
    "report.page.imported": (
        "Saved as the new analysis '{key}' ({actors} actors, {relationships} relationships), now selected."
    ),
    "report.page.import_save": "Save as new analysis '{key}'",
}


def text(msgid: str, lang: str = "en", **params) -> str:
    """The message ``msgid`` in ``lang``, falling back to the English text here.

    >>> text("report.more", n=3)
    '… and 3 more'
    """
    from dnh_graph.i18n import translate

    return translate(msgid, lang, default=MESSAGES.get(msgid), **params)
