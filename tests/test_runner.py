"""The runner scores hidden test cases by their points and says what failed without giving tests away."""

import textwrap

import pytest

from autograder import runner
from autograder.runner import run_tests
from autograder.student import Student

MODULE = '''
import pytest

@pytest.mark.points(1)
def test_adds(student):
    """Adds two numbers."""
    assert student.add(2, 3) == 5

@pytest.mark.points(0.5)
def test_adds_negatives(student):
    """Handles negative numbers."""
    assert student.add(-2, -40) == -42
'''


@pytest.fixture
def module(tmp_path, monkeypatch):
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "test_add.py").write_text(textwrap.dedent(MODULE))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    monkeypatch.setattr(runner, "PACKAGE_DIR", tmp_path)
    return "toy", "test_add"


def grade(module, **namespace):
    return run_tests(*module, Student(namespace), seconds=1)


def test_score_is_the_sum_of_passed_points(module):
    assert grade(module, add=lambda a, b: a + b).score == 1.5
    assert grade(module, add=lambda a, b: abs(a) + abs(b)).score == 1.0
    result = grade(module, add=lambda a, b: 0)
    assert result.score == 0.0 and result.max_score == 1.5


def test_exceptions_none_and_wrong_types_fail_their_case_with_a_message(module):
    def boom(a, b):
        raise KeyError("secret input 40")

    for add, words in [
        (boom, "raised KeyError"),
        (lambda a, b: None, "Wrong answer"),
        (lambda a, b: object(), "not plain data"),
    ]:
        result = grade(module, add=add)
        assert result.score == 0.0
        assert all(words in case.problem for case in result.cases), result.cases
        assert "40" not in result.text()


def test_a_missing_function_is_named(module):
    result = grade(module)
    assert result.score == 0.0
    assert "`add` is not defined" in result.cases[0].problem


def test_an_endless_loop_costs_only_its_case(module):
    def add(a, b):
        while a < 0:
            pass
        return a + b

    result = grade(module, add=add)
    assert result.score == 1.0
    assert "Did not finish" in result.cases[1].problem


def test_a_loop_that_catches_exceptions_is_still_stopped(module):
    def add(a, b):
        while True:
            try:
                while True:
                    pass
            except Exception:
                pass

    assert grade(module, add=add).score == 0.0


def test_feedback_names_cases_points_and_hints_but_not_inputs_or_expected_values(module):
    result = grade(module, add=lambda a, b: a + b if a > 0 else 7)
    text = result.text() + result.html()
    for shown in ("adds_negatives", "Handles negative numbers.", "0.5", "FAIL", "1 of 1.5 points"):
        assert shown in result.text()
    for hidden in ("-42", "-40", "student.add", "assert"):
        assert hidden not in text


def test_a_module_without_points_is_reported_not_scored(module, tmp_path):
    (tmp_path / "toy" / "test_unmarked.py").write_text("def test_x(student):\n    pass\n")
    result = grade(("toy", "test_unmarked"), add=lambda a, b: a + b)
    assert result.score == 0.0
    assert "could not run" in result.problem
