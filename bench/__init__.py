"""The benchmark suite of issue 7 (`bench/run`); not part of the test run (pytest reads tests/)."""
