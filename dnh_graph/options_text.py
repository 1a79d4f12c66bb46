"""The English text of the Options screen, its charts and its prompts (message ids ``options.*``).

These are the defaults :func:`text` falls back to when the chosen language (or the shared catalog) lacks
a message; ``dnh_graph/locales/en.json`` holds the same entries for translators, and
``tests/test_options.py`` checks that the two agree. The prompts (``options.prompt.*``) are questions
written in our own words for each resource-transfer pattern, implicit ethical message and mechanism.
"""

from __future__ import annotations

from dnh_graph.i18n import translate

__all__ = ["MESSAGES", "text"]

MESSAGES: dict[str, str] = {
    # ---- prompts (our own words)
    "options.prompt.generic_title": "For every harmful detail",
    "options.prompt.theft_diversion.1": (
        "At which step could goods or money leave the intended path (storage, transport, hand-over), and who "
        "could check each step?"
    ),
    "options.prompt.theft_diversion.2": (
        "Could what we give be made less tempting to take or resell: smaller lots, vouchers, a different "
        "form?"
    ),
    "options.prompt.theft_diversion.3": (
        "Who gains from what goes missing, and does it feed a divider? Could the hand-over happen where they "
        "have no hold?"
    ),
    "options.prompt.market.1": "Which prices, wages or rents do our buying, hiring or renting move, and for whom?",
    "options.prompt.market.2": (
        "Could we buy or hire in smaller amounts, from more suppliers, or at another time of year, so prices "
        "hold?"
    ),
    "options.prompt.market.3": (
        "Who loses when prices move (people outside the programme, small traders), and how could they gain "
        "too?"
    ),
    "options.prompt.distribution.1": (
        "Who else could be included, and on what criteria that everyone can see and check?"
    ),
    "options.prompt.distribution.2": "Could the people left out help choose who is included, or check the list?",
    "options.prompt.distribution.3": (
        "Does the line between those who receive and those who do not follow an existing divide (group, "
        "place, status)? Could it cut across it instead?"
    ),
    "options.prompt.substitution.1": (
        "Which task of the authorities or the community are we doing in their place? What would it take to do "
        "it with them?"
    ),
    "options.prompt.substitution.2": "When and how could the task be handed back, and who will pay for it then?",
    "options.prompt.substitution.3": (
        "Does our taking over let someone avoid a duty, or free their resources for something that divides?"
    ),
    "options.prompt.legitimization.1": (
        "Which payment, endorsement or public appearance could stop without ending the work?"
    ),
    "options.prompt.legitimization.2": (
        "Which people or bodies that connect groups could we work with, or through, instead?"
    ),
    "options.prompt.legitimization.3": (
        "Could the arrangement be made open: written down, public, with conditions everyone knows?"
    ),
    "options.prompt.arms_power.1": (
        "Do we rely on weapons, guards or powerful people to get things done? Which other way of keeping "
        "people and goods safe could work?"
    ),
    "options.prompt.arms_power.2": (
        "What does it tell people when those with force decide who gets access? Could access be agreed "
        "through civilians?"
    ),
    "options.prompt.disrespect_mistrust_competition.1": (
        "Where do we compete with other organisations or partners instead of working with them? What could be "
        "shared: lists, information, meetings?"
    ),
    "options.prompt.disrespect_mistrust_competition.2": (
        "Do our rules or checks tell local staff or partners that we do not trust them? Which could be "
        "explained, or made to apply both ways?"
    ),
    "options.prompt.disrespect_mistrust_competition.3": (
        "At which step (waiting, queuing, being questioned) could the people we work with be treated with "
        "more respect?"
    ),
    "options.prompt.impunity.1": (
        "Which broken rule (by staff, partners or officials) had no consequence? Who could name it, and what "
        "fair response could follow?"
    ),
    "options.prompt.impunity.2": (
        "Could our own rules be written down and applied where people can see it, so they know the rules "
        "count?"
    ),
    "options.prompt.different_value_of_lives.1": (
        "Are the safety, pay or comfort of some people treated as worth more than others'? Which difference "
        "could be narrowed or explained?"
    ),
    "options.prompt.different_value_of_lives.2": (
        "Do our rules for security, evacuation or care treat people unequally? Which rule could apply to "
        "everyone?"
    ),
    "options.prompt.powerlessness.1": (
        "Who decides, and when? At which step could the people affected decide part of it?"
    ),
    "options.prompt.powerlessness.2": (
        "Could a decision be taken earlier, closer to the people concerned, or in an open meeting?"
    ),
    "options.prompt.powerlessness.3": (
        "How do people hear about a change, and how can they say when something goes wrong?"
    ),
    "options.prompt.belligerence_tension_suspicion.1": (
        "Do staff show suspicion, nervousness or harsh words that others pick up? What would help them stay "
        "calm and courteous?"
    ),
    "options.prompt.belligerence_tension_suspicion.2": (
        "Are we seen as taking one side? Which gesture or habit would show we are open to every group?"
    ),
    "options.prompt.publicity.1": (
        "Which photos, stories or lists make people visible in a way that hurts them or feeds a divider? What "
        "could stay private?"
    ),
    "options.prompt.publicity.2": "Did the people shown agree, and could they easily have said no?",
    "options.prompt.publicity.3": "Could what we publish show what people share rather than what divides them?",
    "options.prompt.resource_transfer.1": (
        "What passes from us to others (goods, money, jobs, training, attention), to whom, and who is left "
        "out?"
    ),
    "options.prompt.resource_transfer.2": (
        "Could the amount, the people who receive it, or the way it reaches them change?"
    ),
    "options.prompt.implicit_ethical_message.1": "Beyond what we give, what does the way we work tell people?",
    "options.prompt.implicit_ethical_message.2": "Which gesture, rule or habit could send the opposite message?",
    "options.prompt.staff_behaviour.1": (
        "What in the way staff work (hours, workload, conduct) produces this impact? Could the task be "
        "shared, moved or done by others?"
    ),
    "options.prompt.staff_behaviour.2": (
        "Do staff have the time, training and support to work the way we want? What do they need?"
    ),
    "options.prompt.organisational_action.1": (
        "Which choice of ours (a policy, a procedure, a partner, a timetable) is behind this impact, and who "
        "could change it?"
    ),
    "options.prompt.organisational_action.2": (
        "Could the activity happen somewhere else, at another time, or with other partners?"
    ),
    "options.prompt.generic.1": "Could this detail be dropped, or done less?",
    "options.prompt.generic.2": (
        "Could it be done at another time, in another place, with other partners, by other staff or in "
        "another way?"
    ),
    "options.prompt.generic.3": "Which connector could this detail support instead?",
    "options.prompt.generic.4": (
        "What would a change cost in staff time, partners' trust and budget, and what could go wrong?"
    ),
    # ---- domain sentences
    "options.robustness.sentence": (
        "The top option stays on top in {percent}% of the ways the predictions could each be one step off."
    ),
    "options.robustness.none": "With fewer than two options there is no ranking to test.",
    "options.robustness.sampled": "(Estimated from a fixed sample of {samples} of those ways.)",
    "options.workflow.refused": "option {option} cannot go from {old} to {new}; from {old} it can go to: {allowed}.",
    # ---- charts
    "options.chart.no_options": "No option to compare yet: write options in the table above.",
    "options.chart.addition": "(addition)",
    "options.chart.detail": "Detail",
    "options.chart.rank": "Rank",
    "options.chart.delta": "delta",
    "options.chart.net": "net",
    "options.chart.harm": "harm",
    "options.chart.help": "help",
    "options.chart.feasibility": "Feasibility",
    "options.chart.cost": "cost",
    "options.chart.net_name": "Net of the option",
    "options.chart.delta_name": "Delta against the current detail",
    "options.chart.net_delta_title": "Net and delta of each option",
    "options.chart.rank_axis": "Rank and option (best on the left)",
    "options.chart.score_axis": "Help − harm (Σ magnitude × priority)",
    "options.chart.tradeoff_title": "Trade-off: delta against cost",
    "options.chart.cost_axis": "Cost (1 low – 5 high)",
    "options.chart.delta_axis": "Delta (better than now ↑)",
    # ---- the page
    "options.intro": (
        "Steps 6 and 7 of Do No Harm: for each detail that does harm, think of other ways to do it; compare "
        "the options side by side; choose one, test it, and record what really happened."
    ),
    "options.tab.generate": "Generate",
    "options.tab.compare": "Compare",
    "options.tab.test": "Test and redesign",
    "options.tab.whatif": "What if",
    "options.addition": "(addition)",
    "options.weight": "weight",
    "options.harmful": "harm",
    "options.yes": "yes",
    "options.no": "no",
    "options.col.detail": "Detail",
    "options.col.detail_help": (
        "The detail the option changes. Choose (addition), shown as an empty cell, for something new the "
        "intervention would do."
    ),
    "options.col.question": "Question",
    "options.col.harm": "Harm",
    "options.col.help": "Help",
    "options.col.net": "Net",
    "options.col.detail_net": "Net of the detail now",
    "options.col.delta": "Delta",
    "options.col.patterns": "Patterns behind the harm",
    "options.col.options": "Options",
    "options.col.option": "Option",
    "options.col.rank": "Rank",
    "options.col.title": "Title",
    "options.col.status": "Status",
    "options.col.status_help": "Change the status with the workflow buttons of the Test and redesign tab.",
    "options.col.feasibility": "Feasibility",
    "options.col.cost": "Cost",
    "options.col.decided_by": "Below the one above by",
    "options.col.side_effects": "Side effects",
    "options.col.review": "Review",
    "options.col.factor": "Divider or connector",
    "options.col.effect": "Effect",
    "options.col.magnitude": "Magnitude (1–3)",
    "options.col.mechanism": "Mechanism",
    "options.col.pattern": "Pattern",
    "options.col.confidence": "Confidence",
    "options.col.evidence": "What was seen",
    "options.col.kind": "Kind",
    "options.col.predicted": "Predicted",
    "options.col.observed": "Observed",
    "options.col.observed_harm": "Observed harm",
    "options.col.flags": "Difference",
    "options.col.active": "Active",
    "options.generate.harmful": "Details that do harm",
    "options.generate.harmful_help": (
        "Every active detail with a harmful impact, most harm first. Pick one to see the harm it does and "
        "questions that help think of another way."
    ),
    "options.generate.no_harm": (
        "No active detail does harm yet. Record impacts on the Impacts page: options start from the details "
        "that strengthen a divider or weaken a connector."
    ),
    "options.generate.pick": "Think of options for",
    "options.generate.harm_here": "The harm this detail does:",
    "options.generate.already": "Options already written for this detail: {options}.",
    "options.generate.write": "Options",
    "options.generate.write_help": (
        "One row per option: the detail it changes, or (addition) for something new. Feasibility and cost "
        "from 1 to 5; side effects on staff, partners or budget. A new option starts as an idea."
    ),
    "options.generate.impacts": "Predicted impacts of the options",
    "options.generate.impacts_help": (
        "How each option would strengthen or weaken each divider and connector: the option's net and delta "
        "come from these rows."
    ),
    "options.generate.impacts_of": "Show the predicted impacts of",
    "options.generate.all_options": "every option",
    "options.generate.no_options": "No option yet: write options on the Generate tab.",
    "options.compare.scope": "Compare",
    "options.compare.whole": "every option of the analysis",
    "options.compare.additions": "the additions",
    "options.compare.robustness": "How firm is the top of the ranking?",
    "options.compare.robustness_metric": "Robustness",
    "options.compare.top": "Top option: {key} · {title}",
    "options.compare.tradeoff_help": (
        "Trade-off chart: the best trade-offs sit top left (much better than now, cheap); a bigger marker is "
        "a more feasible option; the colour is its status."
    ),
    "options.compare.ranking": "Ranking",
    "options.compare.rule": (
        "Delta = the option's net minus the net of the detail it changes (0 for an addition). Ranked by delta "
        "(higher first), then feasibility (higher first), then cost (lower first), then key. The rank is the "
        "rank among every option of the analysis, as dnh score prints it."
    ),
    "options.decided_by.delta": "delta",
    "options.decided_by.feasibility": "feasibility (same delta)",
    "options.decided_by.cost": "cost (same delta and feasibility)",
    "options.decided_by.key": "key (a full tie)",
    "options.test.option": "Option",
    "options.test.status_now": "Option **{option}** is **{status}**. It changes: {detail}",
    "options.test.side_effects": "Side effects: {text}",
    "options.test.move_to": "Mark as {status}",
    "options.test.moved": "Option {option} is now {status}.",
    "options.test.option_gone": (
        "Option {choice} is no longer in this analysis (someone deleted it or changed its key): showing another "
        "option."
    ),
    "options.test.changed_meanwhile": (
        'Nothing changed: option {option} was {seen} when you clicked "Mark as {status}", but someone else has '
        "changed it since (now: {now}). Look at it again, then choose."
    ),
    "options.test.deleted": "deleted",
    "options.test.choices_changed": (
        "Nothing recorded: someone renamed a review, detail or divider/connector while you were filling the form. "
        "Check the review, detail and factor below, then record again."
    ),
    "options.test.detail_exists": (
        "Nothing added: the detail {option} already exists (someone added it meanwhile). Record what you observe "
        "on it below."
    ),
    "options.test.workflow_help": (
        "Idea → chosen → testing → adopted or rejected. A chosen option can go back to idea; a rejected one "
        "can come back as an idea; an adopted one can still be rejected when a later review shows harm."
    ),
    "options.test.addition_needs_detail": (
        "Option {option} is an addition: to record what happens when you try it, first add it as a detail of "
        "the intervention (its key will be {option})."
    ),
    "options.test.activity": "Activity (grouping label)",
    "options.test.add_detail": "Add the detail",
    "options.test.detail_added": "Detail {detail} added: record what you observe on it below.",
    "options.test.observe": "Record what was observed at a review",
    "options.test.observe_help": (
        "What the team saw once the option was tried: it is saved as an impact of the detail, dated at the "
        "review, and counts in the detail's harm, help and net like any impact. Side effects often show on "
        "another detail (who does the work, when), so choose the detail where it showed."
    ),
    "options.test.no_review": "Add a review with its date first (Reviews page): observations are dated at a review.",
    "options.test.no_details": (
        "Observations need details and dividers or connectors: add them on the Intervention and Dividers & "
        "connectors pages."
    ),
    "options.test.detail_help": "By default the detail the option changes.",
    "options.test.evidence_placeholder": "What was seen, by whom, where: e.g. case workers now work six days a week.",
    "options.test.record": "Record the observation",
    "options.test.recorded": "Observation recorded on detail {detail} at {date}.",
    "options.test.compare": "Predicted against observed",
    "options.test.compare_help": (
        "The option's predicted impacts against what was observed at one review, factor by factor. "
        "Observations at the first review are the baseline: the details as they were when the options were "
        "thought of."
    ),
    "options.test.read_details": "Observations on the details",
    "options.test.seen_at": "Observed at",
    "options.test.no_date": "nothing observed yet",
    "options.test.baseline": "baseline",
    "options.test.nothing_to_compare": "This option has no predicted impact and nothing was observed on these details.",
    "options.test.not_observed_yet": (
        "Nothing observed on these details after the first review yet: the table shows the predictions only."
    ),
    "options.test.unpredicted_harm": "Not predicted: the option {effect} {factor}, which does harm. Seen: {evidence}",
    "options.test.as_predicted": "What was observed matches the prediction on every factor.",
    "options.flag.direction": "direction differs",
    "options.flag.magnitude": "magnitude off",
    "options.flag.unpredicted": "not predicted",
    "options.flag.not_observed": "predicted, not seen",
    "options.whatif.help": (
        "The analysis totals if the chosen, testing and adopted options replaced the details they change (an "
        "addition becomes a detail of its own). Where several such options change one detail, the best-ranked "
        "one counts."
    ),
    "options.whatif.before": "Now: {value}",
    "options.whatif.now": "Now, as the details are: harm {harm}, help {help}, net {net:+d}. Above: with the options.",
    "options.whatif.none": "No option is chosen, being tested or adopted yet: the totals stay as they are.",
    "options.whatif.new_detail": "{key} (new)",
    "options.whatif.net_now": "Net now",
    "options.whatif.net_then": "Net with the option",
    "options.whatif.skipped": "Left out (a better-ranked option already replaces their detail): {options}.",
}


def text(msgid: str, lang: str = "en", **params) -> str:
    """The message in ``lang``, falling back to the English text here (never to a bare id).

    Examples
    --------
    >>> text("options.robustness.sentence", percent=87)
    'The top option stays on top in 87% of the ways the predictions could each be one step off.'
    """
    return translate(msgid, lang, default=MESSAGES.get(msgid), **params)
