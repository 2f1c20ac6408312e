"""Every hidden test case names its skill, and what a failed case says is fixed text, never a value.

A failed `assert` in a course module shows its message in the feedback (`runner._problem`), so the
message must be a plain string literal: an f-string, `%` or `.format` could carry the hidden inputs
or the expected values to the student.
"""

import ast
from pathlib import Path

import pytest

from autograder.runner import PACKAGE_DIR, SKILLS, run_tests
from autograder.student import Student
from conftest import ASSIGNMENTS, grade_cells
from tools import submissions

# Assignments whose every assertion says what kind of wrong it found (the others may fall back to
# "Wrong answer." while they are being written).
WORDED = ("parameter_counting", "softmax", "backprop", "optimizers", "case_study")


def course_modules(assignment: str) -> list[Path]:
    return sorted((PACKAGE_DIR / assignment).glob("*.py"))


def case_functions(path: Path) -> list[ast.FunctionDef]:
    return [
        node
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]


def marker(node: ast.FunctionDef, name: str) -> list[ast.expr] | None:
    """The arguments of `@pytest.mark.<name>(...)` on `node`, or None."""
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == name
            and ast.unparse(decorator.func.value) == "pytest.mark"
        ):
            return decorator.args
    return None


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_case_has_one_known_skill(assignment):
    for path in sorted((PACKAGE_DIR / assignment).glob("test_*.py")):
        for node in case_functions(path):
            args = marker(node, "skill")
            assert args is not None, f"{path.name}::{node.name} has no @pytest.mark.skill"
            assert len(args) == 1 and isinstance(args[0], ast.Constant), f"{path.name}::{node.name}"
            assert args[0].value in SKILLS, f"{path.name}::{node.name}: unknown skill {args[0].value!r}"


def test_feedback_carries_the_skill_of_each_case():
    assignment = "parameter_counting"
    student = Student(submissions.namespace(assignment))
    for cell in grade_cells(assignment):
        for case in run_tests(assignment, cell.grade_id, student).cases:
            assert case.skill in SKILLS, (cell.grade_id, case.name)


def assertions(path: Path) -> list[ast.Assert]:
    return [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Assert)]


def constant_messages() -> dict[str, str]:
    """Module-level string constants of the grader's package (`NAME = "words"`), by name."""
    found = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                continue
            target = node.targets[0]
            if (
                isinstance(target, ast.Name)
                and target.id.isupper()
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found[target.id] = node.value.value
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assertion_messages_are_fixed_words(assignment):
    constants = constant_messages()
    for path in course_modules(assignment):
        for node in assertions(path):
            if node.msg is not None:
                where = f"{path.relative_to(PACKAGE_DIR)}:{node.lineno}"
                if isinstance(node.msg, ast.Name):
                    assert node.msg.id in constants, f"{where}: {node.msg.id} is not a string constant"
                    continue
                assert isinstance(node.msg, ast.Constant) and isinstance(node.msg.value, str), (
                    f"{where}: an assert message must be a plain string literal or a module's string "
                    "constant (no f-string, % or format)"
                )
                assert node.msg.value.strip(), where


@pytest.mark.parametrize("assignment", WORDED)
def test_every_assertion_says_what_kind_of_wrong(assignment):
    for path in course_modules(assignment):
        for node in assertions(path):
            assert node.msg is not None, f"{path.relative_to(PACKAGE_DIR)}:{node.lineno} has no message"


def test_the_scan_catches_a_formatted_message(tmp_path):
    path = tmp_path / "test_x.py"
    path.write_text('def test_a(student):\n    got = 1\n    assert got == 2, f"got {got}"\n')
    (node,) = assertions(path)
    assert not isinstance(node.msg, ast.Constant)


def test_a_failed_case_shows_its_assertion_message_and_nothing_else():
    assignment = "parameter_counting"
    variant = submissions.ROOT / "tests" / "submissions" / assignment / "missing_biases.py"
    student = Student(submissions.namespace(assignment, variant))
    result = run_tests(assignment, "test_dense_params", student)
    failed = {case.name: case.problem for case in result.cases if not case.passed}
    assert failed == {
        "counts_weights_and_biases": "The count is too low: something that holds parameters is left out."
    }
