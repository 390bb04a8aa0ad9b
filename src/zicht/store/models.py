"""What a project stores. Usernames only as keyed pseudonyms; codes in three explicit states."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zicht.store.keys import SealedTextField


class ImportedFile(models.Model):
    """A file imported once; the same bytes again are recognised and skipped."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=20)  # chats | coded
    imported_at = models.DateTimeField(auto_now_add=True)
    records = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)


class Conversation(models.Model):
    external_id = models.CharField(max_length=200, unique=True)
    pseudonym = models.CharField(max_length=40, db_index=True)
    alias = models.CharField(max_length=60, db_index=True, default="")  # privacy.alias of the pseudonym, to search by
    channel = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    flagged = models.BooleanField(default=True)
    source = models.ForeignKey(ImportedFile, on_delete=models.PROTECT, related_name="conversations")
    purged_at = models.DateTimeField(null=True)  # its text removed by `zicht purge`; times and senders stay


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    index = models.PositiveIntegerField()
    at = models.DateTimeField()
    sender = models.CharField(max_length=20)
    text = SealedTextField()  # sealed with the project's text key: a copied database shows no chat

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "index"], name="one_message_per_index")]
        ordering = ["conversation", "index"]


class _Kept(models.Manager["Case"]):
    def get_queryset(self) -> models.QuerySet[Case]:
        return super().get_queryset().filter(removed_at=None)


class Case(models.Model):
    """A unique visitor as coded by the researchers. `Case.kept`: those not removed."""

    NOT_CODED, PARTIAL, CODED = "not_coded", "partial", "coded"
    PROGRESS = [(NOT_CODED, "niet gecodeerd"), (PARTIAL, "variabelen nog niet gecodeerd"), (CODED, "gecodeerd")]  # as users read them
    TO_CODE = (NOT_CODED, PARTIAL)  # named, not "all but coded": the queue's index then finds them by value

    visitor_id = models.CharField(max_length=200, unique=True)
    codebook = models.CharField(max_length=40)
    year = models.PositiveIntegerField(null=True, db_index=True)
    conversation_ids = models.JSONField(default=list)
    source = models.ForeignKey(ImportedFile, on_delete=models.PROTECT, related_name="cases", null=True)  # null: opened after linkage
    progress = models.CharField(max_length=10, choices=PROGRESS, default=NOT_CODED, db_index=True)  # kept by every save
    revision = models.PositiveIntegerField(default=0)  # raised by every save: two coders never overwrite each other unseen
    first_chat_at = models.DateTimeField(null=True, db_index=True)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(null=True)
    removed_at = models.DateTimeField(null=True, db_index=True)  # kept, out of the queue and the statistics; see its events

    objects = models.Manager()
    kept = _Kept()

    class Meta:
        # A page of the queue's filter in its order, from the index alone: at 300,000 cases a page deep in the
        # coded ones sorted every one of them (1.4 s); now 14 ms at the last page.
        indexes = [models.Index(fields=["progress", "removed_at", "first_chat_at", "id"], name="queue_order")]


class CaseConversation(models.Model):
    """Which case holds a conversation: `Case.conversation_ids` the other way round, indexed, so that a
    search by pseudonym finds its case without reading every case's list (1 s at 300,000 cases).
    Written with the case (`store.cases.create_cases`); a case's conversations do not change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="held")
    conversation = models.CharField(max_length=200, db_index=True)  # external id


class Code(models.Model):
    VALUE, UNKNOWN, NOT_CODED = "value", "unknown", "not_coded"
    STATES = [(VALUE, "value"), (UNKNOWN, "unknown / not mentioned"), (NOT_CODED, "not coded yet")]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="codes")
    variable = models.CharField(max_length=80)
    state = models.CharField(max_length=10, choices=STATES)
    value = models.JSONField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "variable"], name="one_code_per_variable")]


class LinkProposal(models.Model):
    """A pair of conversations the last `zicht link` run scored as possibly one visitor."""

    left = models.CharField(max_length=200)
    right = models.CharField(max_length=200)
    probability = models.FloatField()
    evidence = models.JSONField(default=dict)  # comparison -> match weight; never the compared values
    proposed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="one_proposal_per_pair")]


class LinkDecision(models.Model):
    """A researcher's decision on a pair; undone decisions stay, with when they were undone."""

    MERGE, APART = "merge", "apart"
    left = models.CharField(max_length=200, db_index=True)
    right = models.CharField(max_length=200, db_index=True)
    verdict = models.CharField(max_length=10, choices=[(MERGE, "merge"), (APART, "keep apart")])
    decided_by = models.CharField(max_length=100)
    decided_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True)


class Suggestion(models.Model):
    """A suggested code for one visitor, read from their conversations, with the words it rests on."""

    visitor = models.CharField(max_length=200, db_index=True)  # the visitor's first conversation id
    year = models.PositiveIntegerField(db_index=True)
    codebook = models.CharField(max_length=40)
    conversation_ids = models.JSONField(default=list)
    variable = models.CharField(max_length=80)
    value = models.JSONField(null=True)  # as Code.value; null: not mentioned
    confidence = models.FloatField()
    reader = models.CharField(max_length=20, default="")  # which reader it came from (coding.Reader): words, chat, flag, codebook, learned
    evidence = models.JSONField(default=list)  # [[conversation_id, message, start, end], ...]
    quotes = SealedTextField(default="")  # set by `zicht purge`: the evidence's messages, redacted, as a JSON list
    suggested_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visitor", "variable"], name="one_suggestion_per_variable")]


class Event(models.Model):
    """One change for the audit trail: who, when, which case and variable, old and new code.

    Never transcript text, and never deleted: an undone merge or a removed case is a new event.
    """

    at = models.DateTimeField(db_index=True)
    user = models.CharField(max_length=150)
    action = models.CharField(max_length=40, db_index=True)
    case = models.CharField(max_length=200, blank=True, db_index=True)  # the visitor id
    variable = models.CharField(max_length=80, blank=True)
    old = models.JSONField(null=True)  # {"state": ..., "value": ...} as Code keeps it, or a decision
    new = models.JSONField(null=True)

    class Meta:
        ordering = ["-at", "-id"]


class Consultation(models.Model):
    """Overleg: a variable of a case marked as doubtful; colleagues reply, the coordinator decides."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations")
    variable = models.CharField(max_length=80)
    opened_by = models.CharField(max_length=150)
    opened_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, db_index=True)
    decision = models.JSONField(null=True)  # the code decided on, as Code keeps it


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    author = models.CharField(max_length=150)
    at = models.DateTimeField()
    text = SealedTextField(max_length=4000)  # a comment may quote the chat

    class Meta:
        ordering = ["at", "id"]


class Assignment(models.Model):
    """A case of a double-coding sample given to one researcher, who codes it blind to the other."""

    sample = models.CharField(max_length=80, db_index=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.CharField(max_length=150)
    assigned_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "coder", "sample"], name="one_assignment_per_coder")]


class BlindCode(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="codes")
    variable = models.CharField(max_length=80)
    state = models.CharField(max_length=10, choices=Code.STATES)
    value = models.JSONField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "variable"], name="one_blind_code_per_variable")]


class FinalReport(models.Model):
    """A year whose report is published: its codes are what was counted; its raw chats may be purged."""

    year = models.PositiveIntegerField(unique=True)
    finalised_by = models.CharField(max_length=150)
    finalised_at = models.DateTimeField()
    tables_sha256 = models.CharField(max_length=64)  # the tables.json it published


class Passage(models.Model):
    """A stretch of a visitor message coded with a theme of a thematic analysis (`analysis.themes`).

    Its text is kept redacted, as made when it was coded: the report quotes it so, a purge of the
    chats leaves it, and no role reads it unredacted.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="passages")
    analysis = models.CharField(max_length=80)
    theme = models.CharField(max_length=80)
    conversation = models.CharField(max_length=200)  # external id
    message = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = SealedTextField()
    quote = models.BooleanField(default=False)  # chosen to quote in the report
    coded_by = models.CharField(max_length=150)
    coded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "theme", "conversation", "message", "start", "end"], name="one_passage_per_theme")
        ]


class DataVersion(models.Model):
    """One row whose number the database draws anew at random on every write to the cases or the merge
    decisions (triggers of migration 0011), whichever code writes them: what cached statistics are valid
    for, read in one lookup where an aggregate over every case took 100 ms at 322,000 cases. Random, not
    counted up: a count rolled back with its transaction would come again for other data."""

    number = models.BigIntegerField(default=0)


class KeptScreening(models.Model):
    """A chat's screening as `zicht screen` left it, so that the report's estimate need not read every chat
    of the year again (at 20,000 chats that was half the year's time). No text: the chance, whether it is
    likely about trafficking, and the reader that said so; a kept screening of another reader is not used."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, primary_key=True, related_name="kept_screening")
    reader = models.CharField(max_length=64)
    chance = models.FloatField()
    likely = models.BooleanField()
