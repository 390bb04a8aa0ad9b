"""What a project stores. Usernames only as keyed pseudonyms; codes in three explicit states."""

from __future__ import annotations

from django.db import models


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
    channel = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    flagged = models.BooleanField(default=True)
    source = models.ForeignKey(ImportedFile, on_delete=models.PROTECT, related_name="conversations")


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    index = models.PositiveIntegerField()
    at = models.DateTimeField()
    sender = models.CharField(max_length=20)
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "index"], name="one_message_per_index")]
        ordering = ["conversation", "index"]


class Case(models.Model):
    """A unique visitor as coded by the researchers."""

    visitor_id = models.CharField(max_length=200, unique=True)
    codebook = models.CharField(max_length=40)
    year = models.PositiveIntegerField(null=True, db_index=True)
    conversation_ids = models.JSONField(default=list)
    source = models.ForeignKey(ImportedFile, on_delete=models.PROTECT, related_name="cases")


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
    evidence = models.JSONField(default=list)  # [[conversation_id, message, start, end], ...]
    suggested_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visitor", "variable"], name="one_suggestion_per_variable")]
