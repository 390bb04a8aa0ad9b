"""The synthetic corpus: chats and the codes researchers would give, calibrated to the report."""

from zicht.synth.corpus import Corpus, generate, write_corpus

__all__ = ["Corpus", "generate", "write_corpus"]
