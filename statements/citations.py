"""How a statement is cited: speaker, title, place, date and the permanent address."""

from django.utils.dateformat import format as format_date


def citation(statement, url: str) -> str:
    """“Sergey Lavrov, ‘Foreign Minister Sergey Lavrov’s remarks …’, Moscow, 28 January 2019,
    statement 3. https://…/statements/42/”"""
    transcript = statement.transcript
    who = statement.display_speaker or statement.get_kind_display()
    parts = [who, f"“{transcript.title}”"]
    if transcript.place:
        parts.append(transcript.place)
    if transcript.date:
        parts.append(format_date(transcript.date, "j F Y"))
    parts.append(f"statement {statement.position}")
    return f"{', '.join(parts)}. {url}"
