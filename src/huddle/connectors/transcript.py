"""Call transcripts (WebVTT, SRT, "Speaker: text" plain text, call-recorder JSON) to evidence.

Each customer statement that is feedback becomes one item of source `call`, linked to the
moment it was said (`<recording url or file name>#t=MM:SS`) and to the call's account. The
vendor's own lines never become evidence. Which side a speaker is on and what counts as
feedback: see `transcript_rules`; the formats: `transcript_formats` and `transcript_json`.
"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import parse_when, pick_source, run_rows
from huddle.connectors.transcript_formats import _TIME, Call, moment, read_plain, read_subtitles
from huddle.connectors.transcript_json import read_json
from huddle.connectors.transcript_rules import assign_sides, feedback_in
from huddle.imports.fields import normalise
from huddle.imports.records import FeedbackRecord, RowError


class TranscriptConnector:
    name = "transcript"
    description = "Call transcripts (WebVTT, SRT, 'Speaker: text' text, call-recorder JSON): the customer's feedback statements, each linked to its moment."
    suffixes = (".vtt", ".srt", ".txt", ".json")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        calls: list[Call] = []

        def load() -> list[Call]:
            suffix = path.suffix.lower()
            if suffix == ".json":
                return read_json(path, options, output.errors)
            with path.open("r", encoding=options.encoding) as handle:
                start = handle.read(64).lstrip("\ufeff")
            if (
                suffix in {".vtt", ".srt"}
                or start.startswith("WEBVTT")
                or re.match(r"\d+\s*\n\s*" + _TIME + r"\s*-->", start)
            ):
                return [read_subtitles(path, options, output.errors)]
            return [read_plain(path, options, output.errors)]

        run_rows(output, lambda: iter(load()), calls.append)
        output.rows_read = sum(len(call.utterances) for call in calls)
        for call in calls:
            self._statements(call, path, options, output)
        return output

    def _statements(
        self, call: Call, path: Path, options: ConnectorOptions, output: ConnectorOutput
    ) -> None:
        overrides = {normalise(k): v for k, v in options.mapping.items()}
        call.account = overrides.get("account", call.account)
        call.recording_url = overrides.get("recording", call.recording_url)
        if call.started_at is None:
            dated = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
            call.started_at = (
                parse_when(dated.group(1))
                if dated
                else datetime.fromtimestamp(path.stat().st_mtime, UTC)
            )
        if not call.utterances:
            if not output.errors:  # an unreadable cue already says why
                output.errors.append(RowError(call.line, None, "no utterances found in this call"))
            return
        assign_sides(
            call.speakers,
            ((u.speaker, u.text) for u in call.utterances),
            options.internal_domains,
            options.staff_names,
        )
        where = call.recording_url or path.name
        key = call.call_id or call.recording_url or path.name
        for index, utterance in enumerate(call.utterances):
            speaker = call.speakers[utterance.speaker]
            if speaker.side != "customer":
                continue
            found = feedback_in(utterance.text)
            if found is None:
                continue
            text, kinds = found
            start = utterance.start_of(text[:40])
            at = moment(start)
            output.feedback.append(
                FeedbackRecord(
                    line=utterance.line,
                    text=text,
                    source=pick_source(options, "call"),
                    occurred_at=call.started_at + timedelta(seconds=start or 0),
                    external_id=f"{key}#{index}",
                    title=f"{call.title or path.stem} — {speaker.name} at {at}",
                    link_url=f"{where}#t={at}",
                    account_ref=call.account,
                    contact_email=speaker.email,
                    contact_name=speaker.name,
                    tags=sorted({f"feedback:{kind}" for kind in kinds}),
                )
            )


connector = TranscriptConnector()
