"""The wizard's and the result's addresses, shared by the pages, the embed and the import: a
step's URL with its navigation state, a result's permalink. Nothing here renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse

from advisor.rules import to_query
from advisor.rules.answers import FIELDS, Answers, Step

STEPS: tuple[Step, ...] = tuple(Step)  # the wizard's steps, in order
# The steps that hold the optional checks; "More checks" opens the first and brings all into
# the flow.
CHECK_STEPS: tuple[Step, ...] = tuple(
    step for step in STEPS if any(f.step is step and f.optional for f in FIELDS)
)


@dataclass(frozen=True, slots=True)
class Navigation:
    """How the wizard was reached, carried in its addresses beside the answers but never one of
    them (a permalink holds answers only, so its meaning never changes): after an import, the
    steps the documents answered, which Next and Back pass over (`skip=`), and the questions
    they answered, read (`imported=`) or inferred (`inferred=`), marked on their steps.
    Unknown names are ignored: these only guide, so an old or edited link still works."""

    skip: tuple[Step, ...] = ()
    imported: tuple[str, ...] = ()
    inferred: tuple[str, ...] = ()
    more: bool = False  # the user asked for the optional checks (`more=1`): see `flow`

    PARAMS = ("skip", "imported", "inferred", "more")

    @classmethod
    def from_params(cls, params: QueryDict) -> Navigation:
        def names(key: str) -> set[str]:
            return {name for value in params.getlist(key) for name in value.split(",")}

        skip = names("skip")
        return cls(
            skip=tuple(step for step in STEPS if step.value in skip),
            imported=tuple(f.name for f in FIELDS if f.name in names("imported")),
            inferred=tuple(f.name for f in FIELDS if f.name in names("inferred")),
            more=bool(names("more") - {"", "0"}),
        )

    def items(self) -> list[tuple[str, str]]:
        """(parameter, value) for each one given, for addresses and hidden inputs."""
        values = (
            ("skip", ",".join(s.value for s in self.skip)),
            ("imported", ",".join(self.imported)),
            ("inferred", ",".join(self.inferred)),
            ("more", "1" if self.more else ""),
        )
        return [(key, value) for key, value in values if value]

    def marks(self) -> dict[str, str]:
        """The note beside each question an import answered."""
        return {
            **{name: IMPORTED_NOTE for name in self.imported},
            **{name: INFERRED_NOTE for name in self.inferred},
        }


IMPORTED_NOTE = "From your documents."
INFERRED_NOTE = "Inferred from your documents: check it."
NO_NAVIGATION = Navigation()


def in_flow(step: Step, answers: Answers, more: bool = False) -> bool:
    """Whether Next and Back pass through a step: it asks a question that matters for these
    answers and is not optional, or it holds optional checks the user asked for."""
    return (more and step in CHECK_STEPS) or any(
        f.step is step and not f.optional and f.matters(answers) for f in FIELDS
    )


def flow(answers: Answers, nav: Navigation = NO_NAVIGATION,
         current: Step | None = None) -> tuple[Step, ...]:
    """The wizard's steps for these answers, in order, as its progress list shows and counts
    them: those in the flow, and always the step on screen (a link may open any). Next and
    Back also pass over the steps an import answered (`nav.skip`)."""
    return tuple(
        step for step in STEPS if step is current or in_flow(step, answers, nav.more)
    )


def wizard_url(step: Step, query: str, nav: Navigation = NO_NAVIGATION) -> str:
    """A step's address: the first step is `/`, the others add `step=`; then the navigation
    state an import leaves (see Navigation); then the answers."""
    parts = [] if step is STEPS[0] else [f"step={step.value}"]
    parts += [f"{key}={value}" for key, value in nav.items()]
    if query:
        parts.append(query)
    return reverse("wizard") + ("?" + "&".join(parts) if parts else "")


def result_url(answers: Answers) -> str:
    """The result's address, through reverse() so that it follows a mount (the embed's)."""
    query = to_query(answers)
    return reverse("result") + (f"?{query}" if query else "")


