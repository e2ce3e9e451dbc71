"""The editors' review queue of speakers (SpeakerReview): the known speakers nearest to a
label that matched nobody, and the scan of the whole archive for pairs of speakers that are
likely one person — duplicates made before imports queued them — by the matcher imports
use (person_match, over speakers.Directory)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from statements.models import SpeakerReview
from statements.person_match import LIKELY, Name, likely_same, read_name, resemblance, same_person
from statements.speakers import Directory, Known, directory

# Known speakers offered beside a label that matched nobody, at most, and how alike their
# surnames must be to be offered at all (below LIKELY: none reached it, or it would be a
# possible duplicate).
NEAREST = 3
NEAR = 0.75


def nearest(name: str, exclude: int, people: Directory | None = None) -> list[tuple[Known, float]]:
    """The known speakers (not speaker `exclude`) nearest to the printed `name`, most alike
    first, with how alike (person_match.resemblance): the choices one click merges into."""
    read = read_name(name)
    if read is None:
        return []
    people = people or directory()
    scored: dict[int, tuple[Known, float]] = {}
    surnames = process.extract(
        read.surname, people.surnames, scorer=JaroWinkler.similarity, score_cutoff=NEAR, limit=10
    )
    for surname, _, _ in surnames:
        for person in people.by_surname[surname]:
            score = max(resemblance(read, known) for known in person.names)
            if person.pk != exclude and score > scored.get(person.pk, (None, 0.0))[1]:
                scored[person.pk] = (person, score)
    return sorted(scored.values(), key=lambda pair: (-pair[1], pair[0].name))[:NEAREST]


@dataclass(frozen=True)
class Pair:
    speaker: Known  # the one a merge folds away: fewer statements, or the newer
    candidate: Known  # the one it would be kept as
    score: float  # 1.0 when surely one person (made before imports knew it)


def likely_pairs(people: Directory) -> list[Pair]:
    """Every pair of speakers likely (or surely) one person. Only speakers with alike
    surnames (Jaro-Winkler ≥ LIKELY, as imports look them up) are compared: a few thousand
    speakers are a few thousand small blocks, not millions of pairs."""
    pairs: dict[tuple[int, int], Pair] = {}
    for surname in people.surnames:
        alike = process.extract(
            surname, people.surnames, scorer=JaroWinkler.similarity, score_cutoff=LIKELY, limit=None
        )
        for other, _, _ in alike:
            if other < surname:
                continue  # each pair of surnames once
            for a in people.by_surname[surname]:
                for b in people.by_surname[other]:
                    _add_pair(pairs, a, b)
    return sorted(pairs.values(), key=lambda pair: (-pair.score, pair.speaker.name))


def _add_pair(pairs: dict[tuple[int, int], Pair], a: Known, b: Known) -> None:
    key = (min(a.pk, b.pk), max(a.pk, b.pk))
    if a.pk == b.pk or key in pairs:
        return
    score = max(_alike(x, y) for x in a.names for y in b.names)
    if score >= LIKELY:
        keep, fold = sorted([a, b], key=lambda person: (-person.statements, person.pk))
        pairs[key] = Pair(speaker=fold, candidate=keep, score=score)


def _alike(a: Name, b: Name) -> float:
    return 1.0 if same_person(a, b) else likely_same(a, b)


@dataclass
class Scan:
    speakers: int  # scanned
    pairs: int  # likely pairs found
    queued: int  # of those, newly put in the queue (the rest were there, or decided)


def scan() -> Scan:
    """Queue every likely pair of speakers in the archive as a possible duplicate, unless
    the pair is in the queue already, either way round, or was found different people. A
    speaker queued so leaves "labels that matched nobody": it matches somebody now."""
    people = directory()
    pairs = likely_pairs(people)
    known = _reviewed_pairs(pairs)
    new = [pair for pair in pairs if _key(pair.speaker.pk, pair.candidate.pk) not in known]
    with transaction.atomic():
        SpeakerReview.objects.filter(
            reason=SpeakerReview.Reason.UNMATCHED,
            decision="",
            speaker_id__in=[pair.speaker.pk for pair in new],
        ).delete()
        SpeakerReview.objects.bulk_create(
            [
                SpeakerReview(
                    speaker_id=pair.speaker.pk,
                    candidate_id=pair.candidate.pk,
                    reason=SpeakerReview.Reason.DUPLICATE,
                    score=pair.score,
                )
                for pair in new
            ],
            ignore_conflicts=True,
        )
    return Scan(speakers=len(people.people), pairs=len(pairs), queued=len(new))


def _reviewed_pairs(pairs: list[Pair]) -> set[tuple[int, int]]:
    """The pairs among `pairs` with a review already, pending or decided, either way round."""
    ids = {pair.speaker.pk for pair in pairs} | {pair.candidate.pk for pair in pairs}
    reviewed = SpeakerReview.objects.filter(
        Q(speaker_id__in=ids) & Q(candidate_id__in=ids)
    ).values_list("speaker_id", "candidate_id")
    return {_key(a, b) for a, b in reviewed}


def _key(a: int, b: int) -> tuple[int, int]:
    return (min(a, b), max(a, b))
