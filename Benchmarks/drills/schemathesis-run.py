#!/usr/bin/env python3
"""Runs schemathesis (same arguments) with one patch to hypothesis, for the bad-input drill.

Hypothesis describes a lambda in a strategy by parsing the lambda's source. On CPython 3.11
that parse can raise "SystemError: AST constructor recursion depth mismatch" when it happens
deep inside a recursive strategy's description, and the whole operation then fails as a
"Runtime Error" of the fuzzer before any request is sent. The description is only text for
reports: fall back to "lambda" and let the fuzzing go on.
"""
import sys

from hypothesis.internal import lambda_sources

_describe = lambda_sources.lambda_description


def _describe_safely(f):
    try:
        return _describe(f)
    except SystemError:
        return "lambda"


lambda_sources.lambda_description = _describe_safely

from schemathesis.cli import schemathesis  # noqa: E402 (after the patch)

if __name__ == "__main__":
    sys.argv[0] = "schemathesis"
    sys.exit(schemathesis())
