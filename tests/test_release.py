"""release/ is what nbgrader generates from source/ today, and gives nothing away."""

import ast
import re

import nbformat
import pytest

from conftest import ASSIGNMENTS, ROOT
from tools import course, submissions


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    built = course.make_course(tmp_path_factory.mktemp("course") / "course")
    course.generate_release(built)
    return built / "release"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_equals_a_fresh_generate_assignment(fresh_release, assignment):
    committed = sorted(p.relative_to(ROOT / "release") for p in (ROOT / "release" / assignment).rglob("*"))
    fresh = sorted(p.relative_to(fresh_release) for p in (fresh_release / assignment).rglob("*"))
    assert committed == fresh, "release/ has other files than a fresh release: run `make release`"
    for path in fresh:
        if path.suffix == ".ipynb":
            assert (ROOT / "release" / path).read_text() == (fresh_release / path).read_text(), (
                f"release/{path} is stale: run `make release`"
            )


def test_release_has_only_the_assignments_notebooks():
    files = sorted(
        p.relative_to(ROOT / "release").as_posix() for p in (ROOT / "release").rglob("*") if p.is_file()
    )
    assert files == [f"{a}/{a}.ipynb" for a in ASSIGNMENTS]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_hidden_test_or_autograder_text(assignment):
    text = (ROOT / "release" / assignment / f"{assignment}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder", "BEGIN MARK SCHEME"):
        assert marker not in text
    release = nbformat.reads(text, as_version=4)
    shown = "\n".join(cell.source for cell in release.cells)
    for grade_id, code in submissions.reference_sources(submissions.source_notebook(assignment)).items():
        body = code.split('"""')[-1] if code.count('"""') >= 2 else code
        for line in body.splitlines():
            line = line.strip()
            if len(line) > 12 and not re.match(r"^(def |class |import |from |#)", line):
                assert line not in shown, f"solution line of {grade_id} in release: {line!r}"


def test_source_folders_hold_only_notebooks():
    for assignment in ASSIGNMENTS:
        files = [p for p in (ROOT / "source" / assignment).rglob("*") if p.is_file()]
        assert [p.name for p in files] == [f"{assignment}.ipynb"], files


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebooks_are_saved_without_outputs(assignment):
    for cell in submissions.source_notebook(assignment).cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


# ---- no answers in the release ---------------------------------------------------------------------
# What each question exists to test, as it would read if a prompt, a docstring or a visible check gave
# it away (the formula, the algorithm, the list of slips the hidden tests look for). The explanations
# live in autograder/<assignment>/explanations.md and reach the student in the feedback.
GIVEAWAYS = {
    "parameter_counting": [
        r"\\lfloor",
        r"\bfloor\b",
        r"//\s*stride",
        r"d\s*\(k\s*-\s*1\)",
        r"dilation\s*\*\s*\(",
        r"\b[1-4] gates?\b",
        r"\b(one|three|four) gates?\b",
        r"two\W+bias",
        r"\bb_ih\b",
        r"\bb_hh\b",
        r"running (mean|var|stat)",
        r"\\gamma",
        r"\\beta",
        r"spans? \*?\*?every input channel",
        r"in_channels\s*/\s*groups,\s*kh",
        r"x W\^T",
        r"usual slips",
        r"one vector per token",
    ],
    "softmax": [
        r"max_i z_i",
        r"own maximum",
        r"subtract\w*\W+(each|the)\W+\w*\W*max",
        r"z\s*-=\s*m",
        r"z_j\s*-\s*m",
        r"\\log \\sum",
        r"log-?sum-?exp",
        r"logsumexp",
        r"np\.log\(softmax",
        r"\\mathrm\{diag\}",
        r"\\delta_\{?ij",
        r"p\\,p\^",
        r"off-diagonal",
        r"\\mathbb\{1\}",
        r"p - 1\b",
        r"usual slips",
        r"remember that \$L\$ is a mean",
        r"e\^\{1000\}",
        r"np\.exp\(1000\)",
    ],
    "backprop": [
        r"Taylor",
        r"one-sided",
        r"f\(x \+ h e_i\) - f\(x - h e_i\)",
        r"\{2h\}",
        r"np\.ndindex",
        r"save the entry",
        r"\\sum_n \\text\{dout\}",
        r"\\sum_m \\text\{dout\}",
        r"dout @ w\.T",
        r"x\.T @ dout",
        r"adds up over the batch",
        r"\\mathbb\{1\}",
        r"derivative is 1",
        r"\\text\{reg\}\\cdot W",
        r"\\frac\{1\}\{N\}\\big",
        r"0 where x <= 0",
        r"where the transposes go",
    ],
    "optimizers": [
        r"beta1\s*\*",
        r"\\beta_1\\?,?\s*m_",
        r"\\hat ?m",
        r"\\hat ?v",
        r"1 - \\beta",
        r"sqrt\(v",
        r"\\sqrt\{",
        r"v_t\s*=",
        r"u_t\s*=",
        r"m_t\s*=",
        r"s_t\s*=",
        r"w_t\s*=",
        r"g_t\^2",
        r"usual slips",
        r"starting at 1",
        r"bias correction",
        r"step count",
        r"\\nabla",
        r"\\frac\{2\}",
        r"rng\.permutation",
        r"g_t \+ \\lambda",
        r"weight_decay \* p",
        r"own updates",
        r"moving average of dw \*\* 2",
        r"updated \*\*first\*\*",
        r"What to say in the interview",
    ],
    "case_study": [
        r"\\log_2 ?2",
        r"\\log_2 ?3",
        r"\\log_2 ?4",
        r"\\sum_\{i=1\}",
        r"np\.log2\(",
        r"all \$n\$ of them",
        r"including those ranked below",
        r"2\^\{?r",
        r"rank 1 is divided",
    ],
}


@pytest.mark.parametrize("assignment", sorted(GIVEAWAYS))
def test_release_gives_no_answer_away(assignment):
    release = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in release.cells:
        for pattern in GIVEAWAYS[assignment]:
            found = re.search(pattern, cell.source, flags=re.IGNORECASE)
            assert not found, f"release/{assignment}: cell {cell.get('id')} gives away {found.group(0)!r}"


def test_the_giveaway_patterns_catch_the_old_prompts():
    """The patterns find what the notebooks used to say (so the test above can fail)."""
    old = {
        "parameter_counting": r"$$n_{out} = \left\lfloor \frac{n + 2p - d (k - 1) - 1}{s} \right\rfloor$$",
        "softmax": r"Subtract each slice's **own maximum** $m = \max_i z_i$",
        "backprop": r"$$\frac{\partial L}{\partial x} = \text{dout} \odot \mathbb{1}[x > 0].$$",
        "optimizers": r"$$v_t = \mu\, v_{t-1} + g_t, \qquad w_t = w_{t-1} - \eta\, v_t$$",
        "case_study": r"rank 1 is divided by $\log_2 2 = 1$, rank 2 by $\log_2 3$",
    }
    for assignment, text in old.items():
        assert any(re.search(p, text, flags=re.IGNORECASE) for p in GIVEAWAYS[assignment]), assignment


_MATH = {"log", "log2", "log10", "exp", "sqrt"}


def _constant_only(node: ast.AST) -> bool:
    """Whether `node` is a number worked out from numbers only (`784 * 256 + 256`, `1 / np.log2(3)`)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp):
        return _constant_only(node.operand)
    if isinstance(node, ast.BinOp):
        return _constant_only(node.left) and _constant_only(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MATH:
        return bool(node.args) and all(_constant_only(arg) for arg in node.args)
    return False


def _calls(node: ast.AST, names: set[str]) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names
        for n in ast.walk(node)
    )


def pasted_expectations(code: str, graded: set[str]) -> list[str]:
    """Numbers a visible check pastes as expected values: arithmetic on numbers alone, or a graded
    function's result compared or combined with a number other than 0 or 1."""
    found = []
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and _constant_only(node):
            found.append(ast.unparse(node))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MATH
            and _constant_only(node)
        ):
            found.append(ast.unparse(node))
        operands = []
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.BinOp):
            operands = [node.left, node.right]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("isclose", "allclose"):
            operands = list(node.args[:2])
        if any(_calls(operand, graded) for operand in operands):
            found += [
                ast.unparse(operand)
                for operand in operands
                if _constant_only(operand) and not _zero_or_one(operand)
            ]
    return found


def _zero_or_one(node: ast.AST) -> bool:
    """0 and 1 are what definitions say (nothing relevant scores 0, the ideal order scores 1)."""
    return isinstance(node, ast.Constant) and node.value in (0, 1)


@pytest.mark.parametrize("assignment", sorted(GIVEAWAYS))
def test_visible_checks_paste_no_expected_numbers(assignment):
    release = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    graded = set(submissions.reference_sources(submissions.source_notebook(assignment)))
    for cell in release.cells:
        if submissions.is_test_cell(cell):
            found = pasted_expectations(cell.source, graded)
            grade_id = submissions.nbgrader_meta(cell)["grade_id"]
            assert not found, f"release/{assignment}: {grade_id} pastes {found}"


def test_the_pasted_number_scan_catches_the_old_checks():
    graded = {"mlp_params", "count_parameters", "ndcg_at_k", "log_storage_gb"}
    old = [
        "assert mlp_params([784, 256, 10]) == 784 * 256 + 256 + 256 * 10 + 10",
        "assert count_parameters(model) == (3 * 3 * 3 * 8 + 8) + (8 + 8) + (8 * 2 + 2)",
        "dcg = 1 / np.log2(3) + 3 / np.log2(4)\nassert np.isclose(ndcg_at_k(rel, 3), dcg)",
        "assert abs(log_storage_gb(1_000_000, 10, 100) - 7.0) <= 0.01 * 7.0",
    ]
    for code in old:
        assert pasted_expectations(code, graded), code
    fine = [
        "assert ndcg_at_k(np.zeros(4), 2) == 0.0",
        "assert max(errors) < 1e-6",
        "assert dense_params(3, 4) == sum(p.numel() for p in nn.Linear(3, 4).parameters())",
    ]
    for code in fine:
        assert not pasted_expectations(code, {"ndcg_at_k", "dense_params"}), code
