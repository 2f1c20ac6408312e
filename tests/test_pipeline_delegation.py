"""Delegation earns nothing through the real `nbgrader autograde`: a notebook whose numpy function
hands its work to a library scores zero on exactly that function's grade cells, and a correct numpy
answer in a notebook that also imports torch (with a helper in a cell of its own) keeps full marks.

The sealed grader reads the code cells of each submitted notebook (`autograder.delegation`); the
expected scores come from each variant's FAILS, as in `test_pipeline.py`.
"""

import pytest

from conftest import expected_scores, grade_cells
from tools import course, demo

pytestmark = pytest.mark.pipeline

# One delegating notebook per assignment (direct, through a helper cell, by alias, by a computed
# import name), a numpy-correct alternative beside torch, and an attack on the probes.
CLASS = {
    "parameter_counting": ["delegates_dense_params_through_helper"],
    "softmax": ["delegates_softmax_to_torch", "alt_logsumexp", "attack_softmax_torch_hides_builtin"],
    "backprop": ["delegates_two_layer_net_by_name"],
    "optimizers": ["delegates_rmsprop_by_alias"],
    "case_study": ["delegates_ndcg_to_sklearn"],
}
STUDENTS = {
    (assignment, f"s{index}_{kind[:24]}"): kind
    for assignment, kinds in CLASS.items()
    for index, kind in enumerate(kinds)
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = course.make_course(tmp_path_factory.mktemp("delegation") / "course")
    course.generate_release(root)
    for (assignment, student), kind in STUDENTS.items():
        demo.hand_in(root, assignment, student, kind)
    for assignment in CLASS:
        course.nbgrader(root, "autograde", assignment)
    return root


@pytest.mark.parametrize(("assignment", "student"), list(STUDENTS), ids=[s for _, s in STUDENTS])
def test_each_notebook_scores_what_its_variant_says(graded, assignment, student):
    from nbgrader.api import Gradebook

    kind = STUDENTS[assignment, student]
    want = expected_scores(assignment, kind)
    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        got = {
            grade.name: grade.score
            for notebook in submission.notebooks
            for grade in notebook.grades
            if grade.name in want
        }
    assert got == pytest.approx(want)
    full = {cell.grade_id: cell.points for cell in grade_cells(assignment)}
    if kind.startswith(("delegates_", "attack_")):
        zeroed = {cell for cell, score in want.items() if score == 0 and full[cell] > 0}
        assert zeroed and all(got[cell] == 0 for cell in zeroed)
        assert any(got[cell] == full[cell] > 0 for cell in full if cell not in zeroed)
