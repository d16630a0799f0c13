"""Attribution extraction with the real pipeline: PolNeAR floors, the seed article, edge cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from conftest import FIXTURES, SEED_ARTICLE, shared_path
from newsledger.analyze.attributions.extract import no_cue_in_names, spans_to_their_noun, verb_out_of_source
from newsledger.analyze.pipeline import analyze_article
from newsledger.eval.attributions import evaluate, evaluate_labels, flat
from newsledger.model import Analysis, Article, Attribution, Certainty, Channel, QuoteKind, SourceType

# Measured 0.797 / 0.737 / 0.657 against the targets 0.78 / 0.72 / 0.65 (docs/attributions.md, the
# shared encoder's feed-forward blocks pruned to 512 units, twenty-second session); the floors sit just
# under, so that a change of a few spans on another CPU does not fail the run.
SENTENCE_FLOORS = {"source": 0.79, "cue": 0.73, "content": 0.65}
# Whole PolNeAR dev articles (brat): 0.811 / 0.745 / 0.607 (twenty-second session).
ARTICLE_FLOORS = {"source": 0.805, "cue": 0.74, "content": 0.60}


def _analyse(nlp: Language, text: str, published: dt.date | None = None) -> Analysis:
    return analyze_article(nlp, Article(id="t", text=text, published=published))


def _by_cue(analysis: Analysis, cue_word: str) -> Attribution:
    found = [a for a in analysis.attributions if cue_word in a.cue.text]
    assert found, f"no attribution with cue {cue_word!r}: {[a.cue.text for a in analysis.attributions]}"
    return found[0]


@pytest.mark.slow
def test_attributions_sentence_exact_f1_floors(nlp: Language) -> None:
    """Exact-match F1 per role on the CofeNet dev sentences stays above the pinned floors."""
    scores = evaluate(shared_path("gold", "polnear-sentences", "valid.jsonl"), nlp=nlp)
    for role, floor in SENTENCE_FLOORS.items():
        assert scores.roles[role]["exact_f1"] >= floor, (role, scores.roles[role])


@pytest.mark.slow
def test_attributions_article_exact_f1_floors(nlp: Language) -> None:
    """Exact-match F1 per role on the PolNeAR dev articles (brat) stays above the pinned floors."""
    scores = evaluate(shared_path("gold", "polnear", "dev"), nlp=nlp)
    for role, floor in ARTICLE_FLOORS.items():
        assert scores.roles[role]["exact_f1"] >= floor, (role, scores.roles[role])


@pytest.mark.slow
def test_attributions_source_type_and_certainty_accuracy(nlp: Language) -> None:
    """Source type and certainty rules on the labelled PolNeAR dev sample keep their accuracy."""
    scores = evaluate_labels(
        FIXTURES / "source_types_dev.jsonl", shared_path("gold", "polnear", "dev"), nlp=nlp
    )
    assert scores.given_spans["source_type"]["accuracy"] >= 0.92
    assert scores.given_spans["certainty"]["accuracy"] >= 0.96
    assert scores.given_spans["source_type"]["named_person"] >= 0.96
    assert scores.coverage >= 0.6


def test_attributions_eval_cli_scores_a_labelled_sample(tmp_path: Path) -> None:
    """`newsledger eval attributions DEV --labels FILE --json` reports source type and certainty."""
    import json

    from typer.testing import CliRunner

    from newsledger.cli import app

    rows = (FIXTURES / "source_types_dev.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(rows) + "\n", encoding="utf-8")
    dev = shared_path("gold", "polnear", "dev")
    result = CliRunner().invoke(app, ["eval", "attributions", str(dev), "--labels", str(sample), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["items"] == 5
    assert set(scores["given_spans"]) == {"source_type", "certainty"}
    assert 0.0 <= scores["given_spans"]["source_type"]["accuracy"] <= 1.0


@pytest.fixture(scope="module")
def seed(nlp: Language) -> Analysis:
    path: Path = shared_path("corpus", "seed", SEED_ARTICLE.name)
    return _analyse(nlp, path.read_text(encoding="utf-8"), dt.date(2023, 1, 10))


@pytest.mark.parametrize(
    ("cue", "source_word", "source_type"),
    [
        ("indicated", "One source", SourceType.ANONYMOUS_INDIVIDUAL),
        ("told", "officials", SourceType.ANONYMOUS_GROUP),
        ("notes", "newspaper", SourceType.MEDIA),
        ("reports", "Financial Times", SourceType.MEDIA),
        ("suggests", "FT", SourceType.MEDIA),
        ("expressed", "Yu Jie", SourceType.NAMED_PERSON),
        ("noted", "One insider", SourceType.ANONYMOUS_INDIVIDUAL),
        ("According to", "insiders", SourceType.ANONYMOUS_GROUP),
        ("say", "Reports", SourceType.UNSPECIFIED),
        ("hinting", "sources", SourceType.ANONYMOUS_GROUP),
        ("argued", "Diplomats", SourceType.ANONYMOUS_GROUP),
        ("described", "Officials", SourceType.ANONYMOUS_GROUP),
        ("spoke of", "He", SourceType.NAMED_PERSON),
        ("reported", "anonymous sources", SourceType.ANONYMOUS_GROUP),
    ],
)
def test_seed_attribution_found_with_source_type(
    seed: Analysis, cue: str, source_word: str, source_type: SourceType
) -> None:
    """Every attribution of the seed article is found with the right source type."""
    record = _by_cue(seed, cue)
    assert record.source is not None
    assert source_word in record.source.text
    assert record.source_type is source_type


def test_seed_relay_chain_through_the_ft(seed: Analysis) -> None:
    """Anonymous sources connected to the FT and officials who told 'the publication' go via the FT."""
    ft = next(a for a in seed.actors if a.name == "Financial Times")
    for cue in ("reported", "told"):
        record = _by_cue(seed, cue)
        assert [c.actor_id for c in record.via] == [ft.id], cue
        assert record.via[0].source_type is SourceType.MEDIA


def test_seed_pronoun_and_description_resolve_to_actors(seed: Analysis) -> None:
    """'He spoke of' is Xi; 'The newspaper notes' is the Financial Times."""
    names = {a.id: a.name for a in seed.actors}
    assert names[_by_cue(seed, "spoke of").source_actor or ""] == "Xi Jinping"
    assert names[_by_cue(seed, "notes").source_actor or ""] == "Financial Times"


def test_seed_cue_properties(seed: Analysis) -> None:
    """Hedged FT suggestion and hints; private meetings and arguments; Yu Jie's affiliation."""
    assert _by_cue(seed, "suggests").certainty is Certainty.HEDGED
    assert _by_cue(seed, "hinting").certainty is Certainty.HEDGED
    # the officials' private meeting with the newspaper: whichever words the tagger takes as the cue
    # ("met with", or the purpose clause after "privately"), the channel is private
    officials = [a for a in seed.attributions if a.source and a.source.text == "several Chinese officials"]
    assert officials, [a.source.text for a in seed.attributions if a.source]
    assert officials[0].channel is Channel.PRIVATE
    assert _by_cue(seed, "argued").channel is Channel.PRIVATE
    yu = _by_cue(seed, "expressed")
    assert yu.source_affiliation is not None
    assert yu.source_affiliation.text == "Chatham House"


def test_seed_attribution_times_come_from_the_clause(seed: Analysis) -> None:
    """The officials' claim carries the 'past nine months' time expression of its clause."""
    record = _by_cue(seed, "told")
    texts = {t.id: t.span.text for t in seed.times}
    assert any("nine months" in texts[t] for t in record.times)


@pytest.mark.parametrize(
    ("text", "cue", "kind"),
    [
        ("“We will not back down,” the minister said on Tuesday.", "said", QuoteKind.DIRECT),
        ('"We will not back down," the minister said on Tuesday.', "said", QuoteKind.DIRECT),
        ("The minister said that the government would not back down.", "said", QuoteKind.INDIRECT),
        (
            "The minister said the plan was “a disaster for farmers” and would be withdrawn.",
            "said",
            QuoteKind.MIXED,
        ),
    ],
)
def test_quote_kinds_with_curly_and_straight_marks(
    nlp: Language, text: str, cue: str, kind: QuoteKind
) -> None:
    """Direct, indirect and mixed quotes, with curly or straight marks."""
    assert _by_cue(_analyse(nlp, text), cue).direct is kind


def test_unbalanced_quote_spanning_paragraphs(nlp: Language) -> None:
    """A quote whose paragraph ends without a closing mark and goes on in the next is one content."""
    text = (
        "The mayor spoke at length on Monday. “We have rebuilt the bridges and the schools,” she said. "
        "“We have hired more teachers than ever.\n\n“And we will keep going until every district is served.”"
    )
    record = _by_cue(_analyse(nlp, text), "said")
    assert record.direct is QuoteKind.DIRECT or record.direct is QuoteKind.MIXED
    assert record.content.end > text.index("hired")


@pytest.mark.parametrize(
    ("text", "ends_with"),
    [
        # the quotation opened after the cue runs over its sentences to the closing mark, over the
        # speaker's own "I mean" too
        (
            (
                "The host told his listeners on Monday, “What has happened is simple. The campaign has sent "
                "orders to its friends in the press. I mean, that is the whole plan. They want the moderator "
                "to interrupt him.”"
            ),
            "to interrupt him.”",
        ),
        (
            (
                'The host told his listeners on Monday, "What has happened is simple. The campaign has sent '
                'orders to its friends in the press. I mean, that is the whole plan." The show ended at noon.'
            ),
            'the whole plan."',
        ),
    ],
)
def test_open_quotation_runs_to_its_closing_mark(nlp: Language, text: str, ends_with: str) -> None:
    record = _by_cue(_analyse(nlp, text), "told")
    assert record.content.text.endswith(ends_with)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # a vox pop: each paragraph a quotation signed with a horizontal bar, fused to the closing mark
        (
            (
                "Voters told us what they think.\n\n“Schools are my first concern. No one talks of them.”― "
                "Maria Lopez\n\n“I want lower taxes and safer streets.”― Daniel Okafor, 52, a bus driver"
            ),
            "Daniel Okafor",
        ),
        # a quote of the week, signed with an em dash and the programme it was said on
        (
            "The week in quotes.\n\n“We will not raise taxes.” — Sen. Anna Berg on “Meet the Press”",
            "Sen. Anna Berg",
        ),
        ("“We will not retreat from Europe.” — House of Commons, 1990", "House of Commons"),
    ],
    ids=["vox-pop", "em-dash", "name-of"],
)
def test_signed_quotation_is_its_signers(nlp: Language, text: str, source: str) -> None:
    """A paragraph that is a quotation signed with a dash and a name is that name's direct quote, and
    no other record gives it to the signature before it."""
    records = _analyse(nlp, text).attributions
    signed = [r for r in records if r.source is not None and r.source.text == source]
    assert len(signed) == 1
    record = signed[0]
    assert record.cue.text in ("―", "—")
    assert record.direct is QuoteKind.DIRECT
    assert record.content.text.startswith("“")
    assert record.content.text.endswith("”")
    closing = text.index("”", record.content.start)
    others = [r for r in records if r is not record and r.content.start < closing < r.content.end]
    assert not [r for r in others if r.source is not None and r.source.start > closing]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        # some archives write both marks as ''; the one that starts a paragraph opens the quotation
        (
            (
                "The rules would end the speculation that the campaign has generated about its finances.\n\n"
                "''I think every candidate should publish them,'' Anna Berg, a tax lawyer, said on Monday."
            ),
            "said",
            "''I think every candidate should publish them,''",
        ),
        # and it is no part of the content before it
        (
            (
                "Both anchors say their editors have never once dictated a question to them.\n\n"
                "''I have never -- never -- been handed a script,'' Mr. Berg said."
            ),
            "say",
            "their editors have never once dictated a question to them",
        ),
    ],
    ids=["opens-its-quotation", "not-the-content-before"],
)
def test_quote_mark_opening_a_paragraph_belongs_to_its_quotation(
    nlp: Language, text: str, cue: str, content: str
) -> None:
    record = _by_cue(_analyse(nlp, text), cue)
    assert record.content.text == content


def test_nested_quote_stays_inside_the_content(nlp: Language) -> None:
    """A quote inside a quote does not end the content."""
    text = "“He told me ‘never again’ and walked out of the room,” the senator said."
    record = _by_cue(_analyse(nlp, text), "said")
    assert record.content.start == 0
    assert "walked out" in record.content.text


def test_headline_says_form(nlp: Language) -> None:
    """A headline 'X says Y' is an attribution to X."""
    record = _by_cue(_analyse(nlp, "Merkel says Europe must stand together on trade"), "says")
    assert record.source is not None
    assert record.source.text == "Merkel"
    assert "Europe must stand together" in record.content.text


def test_attribution_in_dependent_clause(nlp: Language) -> None:
    """A cue inside a subordinate clause still yields its attribution."""
    text = "The talks collapsed after the foreign minister said that no agreement was possible this year."
    record = _by_cue(_analyse(nlp, text), "said")
    assert record.source is not None
    assert "foreign minister" in record.source.text
    assert "no agreement was possible" in record.content.text


def test_negated_cue(nlp: Language) -> None:
    """'did not say' gives a negated attribution."""
    text = "The president did not say whether troops would be withdrawn from the border."
    assert _by_cue(_analyse(nlp, text), "say").certainty is Certainty.NEGATED


Spans = list[tuple[str, int, int]]


@pytest.mark.parametrize(
    ("repair", "text", "tagged", "expected"),
    [
        # the tagger ran the source on over the sentence's main verb: the verb is the cue
        (
            verb_out_of_source,
            "The Financial Times reports that the talks failed.",
            [("source", 0, 4), ("content", 4, 8)],
            [("source", 0, 3), ("cue", 3, 4), ("content", 4, 8)],
        ),
        # the sentence has a cue of its own: the source stays whole
        (
            verb_out_of_source,
            "The Financial Times reports say that the talks failed.",
            [("source", 0, 4), ("cue", 4, 5), ("content", 5, 9)],
            [("source", 0, 4), ("cue", 4, 5), ("content", 5, 9)],
        ),
        # a noun ending the source is no verb
        (
            verb_out_of_source,
            "Western intelligence reports that the talks failed were wrong.",
            [("source", 0, 3), ("content", 3, 7)],
            [("source", 0, 3), ("content", 3, 7)],
        ),
        # a second cue starting mid-name ("Jinping about") is dropped; the verb's cue stays
        (
            no_cue_in_names,
            "Putin spoke with Xi Jinping about the war in Ukraine.",
            [("source", 0, 1), ("cue", 1, 2), ("cue", 4, 6), ("content", 6, 10)],
            [("source", 0, 1), ("cue", 1, 2), ("content", 6, 10)],
        ),
        # a lone cue stays, whatever the entity recogniser says
        (
            no_cue_in_names,
            "President Xi Jinping about the war in Ukraine.",
            [("cue", 2, 4), ("content", 4, 8)],
            [("cue", 2, 4), ("content", 4, 8)],
        ),
        # a source or content that stops on a word modifying the next noun takes the noun in
        (
            spans_to_their_noun,
            "The New York Times wrote that both presidential nominees met in recent weeks.",
            [("source", 0, 3), ("cue", 4, 5), ("content", 6, 12)],
            [("source", 0, 4), ("cue", 4, 5), ("content", 6, 13)],
        ),
        # but never into another span
        (
            spans_to_their_noun,
            "The New York Times wrote that both presidential nominees met in recent weeks.",
            [("source", 0, 2), ("source", 2, 4), ("cue", 4, 5)],
            [("source", 0, 2), ("source", 2, 4), ("cue", 4, 5)],
        ),
    ],
)
def test_tagged_span_repairs_follow_the_parse(
    nlp: Language, repair: Callable[[Doc, Spans], Spans], text: str, tagged: Spans, expected: Spans
) -> None:
    """The rules that mend the tagger's spans where the parse contradicts them."""
    assert repair(nlp(text), tagged) == expected


@pytest.mark.parametrize(
    ("text", "source", "cue", "content", "via"),
    [
        (
            (
                "The Financial Times reported on Monday that Chinese officials said Moscow had not told "
                "Beijing about its plans."
            ),
            "Chinese officials",
            "said",
            "Moscow had not told Beijing about its plans",
            ["The Financial Times"],
        ),
        (
            "According to Reuters, two diplomats said the talks would resume in March.",
            "two diplomats",
            "said",
            "the talks would resume in March",
            ["Reuters"],
        ),
    ],
)
def test_relayed_attribution_inside_a_report_names_its_conduit(
    nlp: Language, text: str, source: str, cue: str, content: str, via: list[str]
) -> None:
    """An attribution inside another one's content is a relay: its outer source becomes a conduit."""
    analysis = _analyse(nlp, text)
    relay = next(a for a in analysis.attributions if a.source and a.source.text == source)
    assert (relay.cue.text, relay.content.text) == (cue, content)
    assert [conduit.span.text for conduit in relay.via] == via
    outer = next(a for a in analysis.attributions if a is not relay)
    assert not outer.via  # "according to Reuters": Reuters is the source, not its own conduit
    assert flat(analysis.attributions) == [outer]  # PolNeAR's flat scheme scores the outer one only


@pytest.mark.parametrize(
    "text",
    [
        "Rubio said he believes the president overstepped his authority.",  # the speaker again
        "“The Financial Times reports that the talks failed,” the minister said.",  # inside a quotation
        "The Financial Times reported that analysts believe the talks failed.",  # a verb of thought
    ],
)
def test_relayed_needs_a_named_subject_a_reporting_verb_and_indirect_speech(nlp: Language, text: str) -> None:
    analysis = _analyse(nlp, text)
    assert flat(analysis.attributions) == list(analysis.attributions)


@pytest.mark.parametrize(
    ("text", "source", "content", "via"),
    [
        (
            "Interfax, citing a senior military source, reported that rebels had attacked the convoy.",
            "a senior military source",
            "that rebels had attacked the convoy",
            ["Interfax"],
        ),
        (
            "The agency said, quoting two diplomats, that the talks in Geneva would resume in March.",
            "two diplomats",
            "that the talks in Geneva would resume in March",
            ["The agency"],
        ),
    ],
)
def test_cited_source_is_relayed_by_the_speaker(
    nlp: Language, text: str, source: str, content: str, via: list[str]
) -> None:
    """ "X, citing Y, reported Z": Y said Z and X relays it; events in Z are reported by Y via X."""
    analysis = _analyse(nlp, text)
    relay = next(a for a in analysis.attributions if a.source and a.source.text == source and a.via)
    assert relay.content.text == content
    assert [conduit.span.text for conduit in relay.via] == via
    inside = [e for e in analysis.events if relay.content.start <= e.trigger.start < relay.content.end]
    assert all(analysis.attributions[e.reported_by] is relay for e in inside if e.reported_by is not None)


@pytest.mark.parametrize(
    "text",
    [
        "The ministry, citing security concerns, said the parade would be shortened.",
        "The minister resigned on Friday, citing medical reasons.",
    ],
)
def test_citing_a_reason_cites_no_source(nlp: Language, text: str) -> None:
    analysis = _analyse(nlp, text)
    assert not [a for a in analysis.attributions if a.via and a.cue.text == "citing"]


def test_cited_relay_is_not_scored_in_the_flat_scheme(nlp: Language) -> None:
    analysis = _analyse(
        nlp, "Interfax, citing a senior military source, reported that rebels had attacked the convoy."
    )
    assert all(not (a.via and a.cue.text == "citing") for a in flat(analysis.attributions))
