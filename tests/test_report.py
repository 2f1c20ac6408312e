"""The reports of `python -m tools.report`: integrity signals, skill scores and percentiles, the pages
a recruiter and an instructor read (in headless Chromium), and the exports.

The similarity tests use code written for them: 20 independent, correct stable softmaxes (different
people write the same short function in different ways), and planted copies (variables renamed,
helpers reordered). The pipeline tests grade a small course with the real `nbgrader autograde`.
"""

from __future__ import annotations

import ast
import csv
import html
import importlib.util
import json
import random
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tools.report import analysis, integrity, stats
from tools.report.collect import SKILLS, CaseResult, CellInfo, CellRecord, Course, Submission

# Twenty people's stable softmax along any axis, each written independently.
SOFTMAXES = [
    """def softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
""",
    """def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    m = z.max(axis=axis, keepdims=True)
    ex = np.exp(z - m)
    return ex / ex.sum(axis=axis, keepdims=True)
""",
    """def softmax(z, axis=-1):
    moved = np.moveaxis(np.array(z, dtype=np.float64), axis, -1)
    out = np.empty_like(moved)
    for idx in np.ndindex(moved.shape[:-1]):
        row = moved[idx]
        row = row - row.max()
        w = np.exp(row)
        out[idx] = w / w.sum()
    return np.moveaxis(out, -1, axis)
""",
    """def softmax(z, axis=-1):
    top = np.amax(z, axis=axis, keepdims=True)
    lse = top + np.log(np.sum(np.exp(z - top), axis=axis, keepdims=True))
    return np.exp(z - lse)
""",
    """def softmax(z, axis=-1):
    peak = np.expand_dims(np.max(z, axis=axis), axis)
    numer = np.exp(z - peak)
    denom = np.expand_dims(numer.sum(axis=axis), axis)
    return numer / denom
""",
    """def softmax(z, axis=-1):
    def one(v):
        v = v - v.max()
        p = np.exp(v)
        return p / p.sum()
    return np.apply_along_axis(one, axis, np.asarray(z, dtype=float))
""",
    """def softmax(z, axis=-1):
    a = np.swapaxes(np.asarray(z, float), axis, -1)
    shape = a.shape
    flat = a.reshape(-1, shape[-1])
    flat = flat - flat.max(axis=1)[:, None]
    np.exp(flat, out=flat)
    flat /= flat.sum(axis=1)[:, None]
    return np.swapaxes(flat.reshape(shape), axis, -1)
""",
    """def softmax(z, axis=-1):
    out = np.array(z, dtype=np.float64, copy=True)
    out -= out.max(axis=axis, keepdims=True)
    np.exp(out, out=out)
    out /= out.sum(axis=axis, keepdims=True)
    return out
""",
    """def softmax(z, axis=-1):
    stable = np.subtract(z, np.max(z, axis, keepdims=True))
    exps = np.exp(stable)
    return exps * np.reciprocal(np.sum(exps, axis, keepdims=True))
""",
    """def softmax(z, axis=-1):
    c = z.max(axis=axis, keepdims=True)
    log_norm = np.log(np.exp(z - c).sum(axis=axis, keepdims=True))
    return np.exp(z - c - log_norm)
""",
    """def softmax(z, axis=-1):
    x = np.asarray(z, dtype=np.float64)
    x_max = np.max(x, axis=axis, keepdims=True)
    unnorm = np.exp(x - x_max)
    total = np.sum(unnorm, axis=axis, keepdims=True)
    return np.divide(unnorm, total)
""",
    """def softmax(z, axis=-1):
    arr = np.asarray(z, dtype=float)
    axis = axis % arr.ndim
    biggest = np.expand_dims(arr.max(axis=axis), axis=axis)
    weights = np.exp(arr - biggest)
    return weights / weights.sum(axis=axis)[(slice(None),) * axis + (None,)]
""",
    """def softmax(z, axis=-1):
    gap = np.max(z, axis=axis, keepdims=True) - z
    decay = np.exp(-gap)
    return decay / decay.sum(axis, keepdims=True)
""",
    """def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    order = list(range(z.ndim))
    order.append(order.pop(axis))
    t = z.transpose(order)
    t = np.exp(t - t.max(-1, keepdims=True))
    t = t / t.sum(-1, keepdims=True)
    return t.transpose(np.argsort(order))
""",
    """def softmax(z, axis=-1):
    log_total = np.logaddexp.reduce(z, axis=axis, keepdims=True)
    return np.exp(z - log_total)
""",
    """def softmax(z, axis=-1):
    values = z.astype(np.float64)
    values = values - values.max(axis, keepdims=True)
    probs = np.exp(values)
    probs /= probs.sum(axis, keepdims=True)
    return probs
""",
    """def softmax(z, axis=-1):
    hi = np.sort(z, axis=axis).take([-1], axis=axis)
    expz = np.exp(z - hi)
    norm = np.add.reduce(expz, axis=axis, keepdims=True)
    return expz / norm
""",
    """def softmax(z, axis=-1):
    arr = np.asarray(z, dtype=float)
    if arr.ndim == 1:
        w = np.exp(arr - arr.max())
        return w / w.sum()
    moved = np.moveaxis(arr, axis, -1)
    rows = [softmax(r) for r in moved.reshape(-1, moved.shape[-1])]
    return np.moveaxis(np.array(rows).reshape(moved.shape), -1, axis)
""",
    """def softmax(z, axis=-1):
    z = np.asarray(z, np.float64)
    shift = z.max(axis=axis, keepdims=True)
    num = np.exp(z - shift)
    den = np.sum(num, axis=axis, keepdims=True)
    out = num / den
    return out
""",
    """def softmax(z, axis=-1):
    m = np.maximum.reduce(z, axis=axis, keepdims=True)
    q = np.exp(np.subtract(z, m))
    s = np.add.reduce(q, axis=axis, keepdims=True)
    return np.true_divide(q, s)
""",
]

# Copy of SOFTMAXES[2] with every variable renamed and a comment added.
RENAMED_COPY = """def softmax(z, axis=-1):
    # move the axis last, then normalise each row
    work = np.moveaxis(np.array(z, dtype=np.float64), axis, -1)
    result = np.empty_like(work)
    for where in np.ndindex(work.shape[:-1]):
        vec = work[where]
        vec = vec - vec.max()
        ex = np.exp(vec)
        result[where] = ex / ex.sum()
    return np.moveaxis(result, -1, axis)
"""

TWO_LAYER_NET = """def two_layer_net(X, params, y=None, reg=0.0):
    def affine(x, w, b):
        return x.reshape(x.shape[0], -1) @ w + b

    def relu(a):
        return np.maximum(a, 0.0)

    def loss_and_dscores(scores, labels):
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        n = scores.shape[0]
        loss = -log_probs[np.arange(n), labels].mean()
        dscores = np.exp(log_probs)
        dscores[np.arange(n), labels] -= 1.0
        return loss, dscores / n

    hidden_in = affine(X, params["W1"], params["b1"])
    hidden = relu(hidden_in)
    scores = affine(hidden, params["W2"], params["b2"])
    if y is None:
        return scores
    data_loss, dscores = loss_and_dscores(scores, y)
    loss = data_loss + 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    grads = {"W2": hidden.T @ dscores + reg * params["W2"], "b2": dscores.sum(axis=0)}
    dhidden = dscores @ params["W2"].T
    dhidden[hidden_in <= 0] = 0.0
    grads["W1"] = X.reshape(X.shape[0], -1).T @ dhidden + reg * params["W1"]
    grads["b1"] = dhidden.sum(axis=0)
    return loss, grads
"""

# The same network with every local name changed and the helpers defined in another order.
TWO_LAYER_NET_DISGUISED = """def two_layer_net(X, params, y=None, reg=0.0):
    def xent(logits, targets):
        centred = logits - logits.max(axis=1, keepdims=True)
        logp = centred - np.log(np.exp(centred).sum(axis=1, keepdims=True))
        count = logits.shape[0]
        value = -logp[np.arange(count), targets].mean()
        grad = np.exp(logp)
        grad[np.arange(count), targets] -= 1.0
        return value, grad / count

    def rectify(t):
        return np.maximum(t, 0.0)

    def dense(inp, weight, bias):
        return inp.reshape(inp.shape[0], -1) @ weight + bias

    pre = dense(X, params["W1"], params["b1"])
    act = rectify(pre)
    out = dense(act, params["W2"], params["b2"])
    if y is None:
        return out
    data_term, dout = xent(out, y)
    total = data_term + 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    g = {"W2": act.T @ dout + reg * params["W2"], "b2": dout.sum(axis=0)}
    dact = dout @ params["W2"].T
    dact[pre <= 0] = 0.0
    g["W1"] = X.reshape(X.shape[0], -1).T @ dact + reg * params["W1"]
    g["b1"] = dact.sum(axis=0)
    return total, g
"""

# Two other people's networks, written independently.
OTHER_NETS = [
    """def two_layer_net(X, params, y=None, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    flat = X.reshape(len(X), -1)
    h = np.maximum(0, flat.dot(W1) + b1)
    s = h.dot(W2) + b2
    if y is None:
        return s
    s = s - np.max(s, axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    N = len(y)
    loss = np.mean(-np.log(p[range(N), y])) + 0.5 * reg * ((W1 * W1).sum() + (W2 * W2).sum())
    d = p.copy()
    d[range(N), y] -= 1
    d /= N
    dW2 = h.T.dot(d) + reg * W2
    dh = d.dot(W2.T) * (h > 0)
    return loss, {"W1": flat.T.dot(dh) + reg * W1, "b1": dh.sum(0), "W2": dW2, "b2": d.sum(0)}
""",
    """def two_layer_net(X, params, y=None, reg=0.0):
    n = X.shape[0]
    inputs = X.reshape(n, -1)
    z1 = np.dot(inputs, params["W1"]) + params["b1"]
    a1 = np.where(z1 > 0, z1, 0.0)
    logits = np.dot(a1, params["W2"]) + params["b2"]
    if y is None:
        return logits
    logits_max = logits.max(axis=1)[:, None]
    lse = logits_max[:, 0] + np.log(np.exp(logits - logits_max).sum(axis=1))
    loss = (lse - logits[np.arange(n), y]).sum() / n
    loss += 0.5 * reg * sum(np.sum(params[k] ** 2) for k in ("W1", "W2"))
    probs = np.exp(logits - lse[:, None])
    onehot = np.zeros_like(probs)
    onehot[np.arange(n), y] = 1.0
    dlogits = (probs - onehot) / n
    grads = {}
    grads["W2"] = np.dot(a1.T, dlogits) + reg * params["W2"]
    grads["b2"] = np.sum(dlogits, axis=0)
    da1 = np.dot(dlogits, params["W2"].T)
    dz1 = da1 * (z1 > 0)
    grads["W1"] = np.dot(inputs.T, dz1) + reg * params["W1"]
    grads["b1"] = np.sum(dz1, axis=0)
    return loss, grads
""",
]


def _run(code: str, name: str):
    scope = {"np": np}
    exec(compile(code, f"<{name}>", "exec"), scope)
    return scope[name]


def test_the_twenty_softmaxes_are_correct_and_different():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 4, 5)) * 300
    for axis in (-1, 0, 1):
        want = np.exp(z - z.max(axis=axis, keepdims=True))
        want /= want.sum(axis=axis, keepdims=True)
        for index, code in enumerate(SOFTMAXES + [RENAMED_COPY]):
            assert np.allclose(_run(code, "softmax")(z, axis=axis), want, rtol=1e-12, atol=1e-300), index
    assert len(set(SOFTMAXES)) == 20


def test_twenty_independent_short_solutions_are_not_flagged():
    codes = {f"p{i:02d}": code for i, code in enumerate(SOFTMAXES)}
    assert integrity.similar_code(codes, cell="softmax") == []


def test_a_textbook_solution_many_write_is_common_code_not_a_copy(monkeypatch):
    """Six candidates write CS231n's textbook softmax word for word: shared by more than a few
    percent of the cohort, its fingerprints are ignored. Without that rule all six would be paired."""
    codes = {f"p{i:02d}": code for i, code in enumerate(SOFTMAXES)}
    codes.update({f"t{i}": SOFTMAXES[0] for i in range(6)})
    assert integrity.similar_code(codes, cell="softmax") == []
    monkeypatch.setattr(integrity, "COMMON_FRACTION", 1.0)
    monkeypatch.setattr(integrity, "COMMON_MIN_COUNT", len(codes))
    paired = {frozenset(f.students) for f in integrity.similar_code(codes, cell="softmax")}
    textbook = {"p00", *(f"t{i}" for i in range(6))}
    assert paired == {frozenset((a, b)) for a in textbook for b in textbook if a < b}


def test_a_copy_with_renamed_variables_is_flagged():
    codes = {f"p{i:02d}": code for i, code in enumerate(SOFTMAXES)}
    codes["copier"] = RENAMED_COPY
    flags = integrity.similar_code(codes, cell="softmax", assignment="softmax")
    assert [f.students for f in flags] == [("copier", "p02")]
    assert flags[0].kind == "similar code" and "softmax" in flags[0].evidence


def test_a_copy_with_reordered_helpers_is_flagged():
    codes = {f"p{i:02d}": code for i, code in enumerate(SOFTMAXES)}  # other cells' shapes of code
    codes.update(
        {"orig": TWO_LAYER_NET, "copy": TWO_LAYER_NET_DISGUISED, "own1": OTHER_NETS[0], "own2": OTHER_NETS[1]}
    )
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 2, 3)), rng.integers(0, 4, size=5)
    params = {
        "W1": rng.normal(size=(6, 7)),
        "b1": rng.normal(size=7),
        "W2": rng.normal(size=(7, 4)),
        "b2": rng.normal(size=4),
    }
    losses = [
        _run(code, "two_layer_net")(X, params, y, reg=0.3)[0]
        for code in (TWO_LAYER_NET, TWO_LAYER_NET_DISGUISED, *OTHER_NETS)
    ]
    assert np.allclose(losses, losses[0]), "the networks are the same function"
    flags = integrity.similar_code(codes, cell="two_layer_net")
    assert [f.students for f in flags] == [("copy", "orig")]
    assert flags[0].strength > 0.9
    marked = flags[0].detail["code"]["copy"]
    assert "\x00" in marked and "\x01" in marked, "the shared code is marked for the cohort report"


def test_the_release_stub_is_boilerplate():
    """Starter code the release hands out never counts as shared, even when only two candidates
    attempted the cell (too few for the common-fingerprint rule)."""
    given = '''def softmax(z, axis=-1):
    """Softmax of z along axis."""
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 0:
        raise ValueError("softmax needs an array with at least one axis")
    axis = axis if axis >= 0 else z.ndim + axis
    if not 0 <= axis < z.ndim:
        raise ValueError(f"axis {axis} is out of range for an array of {z.ndim} dimensions")
'''
    stub = given + "    raise NotImplementedError()\n"
    codes = {f"p{i:02d}": given + code.split("\n", 1)[1] for i, code in enumerate(SOFTMAXES[:2])}
    assert integrity.similar_code(codes, stub="") != [], "the starter code alone looks shared"
    assert integrity.similar_code(codes, stub=stub) == []


def _notebook(ids: list[str]):
    nb = nbformat.v4.new_notebook()
    for cell_id in ids:
        cell = nbformat.v4.new_code_cell("x = 1")
        cell.id = cell_id
        nb.cells.append(cell)
    return nb


def test_shared_student_created_cell_ids_are_found():
    release = ["intro", "question-1", "answer-1", "test-1"]
    rng = random.Random(5)
    notebooks = {
        f"s{i}": _notebook(release + [f"{rng.getrandbits(64):016x}" for _ in range(3)]) for i in range(10)
    }
    copied = notebooks["s3"]
    notebooks["s9"] = _notebook([cell.id for cell in copied.cells])
    flags = integrity.shared_cell_ids(notebooks, set(release), "softmax")
    assert [f.students for f in flags] == [("s3", "s9")]
    assert flags[0].detail["ids"] == sorted(c.id for c in copied.cells if c.id not in release)
    assert integrity.shared_cell_ids({k: v for k, v in notebooks.items() if k != "s9"}, set(release)) == []


def test_only_rare_identical_failure_patterns_are_flagged():
    patterns = {f"s{i:02d}": frozenset() for i in range(20)}
    for student in ("s01", "s02", "s03", "s04"):  # a common mistake: not rare
        patterns[student] = frozenset({"test_softmax::stable", "test_softmax::huge_logits"})
    patterns["s05"] = patterns["s06"] = frozenset({"test_a::one", "test_b::two", "test_c::three"})
    patterns["s07"] = patterns["s08"] = frozenset({"test_a::one"})  # a single failed case: too little
    patterns["s09"] = frozenset({"test_a::one", "test_b::two"})
    flags = integrity.same_failures(patterns, "softmax")
    assert [f.students for f in flags] == [("s05", "s06")]
    assert "`b` (1)" in flags[0].evidence and "test_b::two" in flags[0].detail["cases"]


# Skill scores, levels and percentiles on a course built in memory.


def _course(n: int, seed: int = 3, pending: set[str] = frozenset()) -> Course:
    rng = np.random.default_rng(seed)
    cases = [
        ("forward", 2.0, "backpropagation"),
        ("backward", 2.0, "backpropagation"),
        ("huge_inputs", 1.0, "numerical-stability"),
        ("torch_module", 1.0, "pytorch"),
    ]
    info = CellInfo(
        "a1", "test_f", 6.0, False, {name: (p, skill, f"hint {name}") for name, p, skill in cases}
    )
    essay = CellInfo("a1", "essay", 4.0, True)
    students = [f"s{i:02d}" for i in range(n)]
    subs = {}
    for student in students:
        ability = rng.random()
        results = []
        for name, points, skill in cases:
            passed = bool(rng.random() < 0.2 + 0.7 * ability)
            results.append(
                CaseResult(
                    name,
                    points,
                    points if passed else 0.0,
                    passed,
                    f"hint {name}",
                    "" if passed else "Wrong answer.",
                    skill,
                )
            )
        score = sum(c.earned for c in results)
        essay_score = 0.0 if student in pending else float(round(4 * ability))
        cells = [
            CellRecord("a1", "test_f", 6.0, score, False, False, results),
            CellRecord("a1", "essay", 4.0, essay_score, True, student in pending),
        ]
        subs[student, "a1"] = Submission(student, "a1", score + essay_score, 10.0, cells, None, None)
    return Course(Path("."), students, ["a1"], {"a1": [info, essay]}, subs)


def test_skill_scores_add_up_to_the_gradebook_totals_and_pending_is_not_a_zero():
    course = _course(8, pending={"s01"})
    items = analysis.course_items(course)
    people = analysis.candidates(course, items)
    for student, person in people.items():
        earned = sum(score.earned for score in person.skills.values())
        assert earned == pytest.approx(course.submission(student, "a1").score)
    waiting = people["s01"].skills["ml-system-design"]
    assert waiting.percent is None and waiting.level == "pending" and waiting.pending == 4.0
    assert [e.status for e in waiting.evidence] == ["pending"]
    graded = people["s00"].skills["ml-system-design"]
    assert graded.percent is not None and graded.level != "pending"


def test_levels_and_their_thresholds():
    assert [analysis.level(p) for p in (0, 39.9, 40, 69.9, 70, 89.9, 90, 100)] == [
        "not shown",
        "not shown",
        "foundational",
        "foundational",
        "proficient",
        "proficient",
        "strong",
        "strong",
    ]
    assert analysis.level(None) == "pending"


def test_percentiles_only_for_a_cohort_of_twenty():
    for n, shown in ((stats.MIN_COHORT - 1, False), (stats.MIN_COHORT, True)):
        course = _course(n)
        items = analysis.course_items(course)
        people = analysis.candidates(course, items)
        analysis.add_percentiles(course, items, people)
        percentiles = [p.skills["backpropagation"].percentile for p in people.values()]
        assert all(v is not None for v in percentiles) == shown
        assert all(v is None for v in percentiles) == (not shown)
        result = analysis.assignment_stats(course, items, "a1")
        assert bool(result.cases) == shown and bool(result.cells) == shown


def test_percentile_band_is_one_sem_either_side():
    course = _course(30, seed=11)
    items = analysis.course_items(course)
    people = analysis.candidates(course, items)
    analysis.add_percentiles(course, items, people)
    matrix, possible = analysis.skill_matrix(course, items, "backpropagation")
    percents = 100 * matrix.sum(axis=1) / possible
    sem = stats.sem(percents, stats.cronbach_alpha(matrix))
    cohort = [p.skills["backpropagation"].percent for p in people.values()]
    for person in people.values():
        score = person.skills["backpropagation"]
        assert score.sem == pytest.approx(sem)
        assert score.percentile == pytest.approx(stats.percentile_rank(cohort, score.percent))
        assert score.band == pytest.approx(
            (
                stats.percentile_rank(cohort, score.percent - sem),
                stats.percentile_rank(cohort, score.percent + sem),
            )
        )
        assert score.band[0] <= score.percentile <= score.band[1]


def test_item_analysis_leaves_out_written_answers_still_pending():
    course = _course(25, pending={"s03"})
    items = analysis.course_items(course)
    result = analysis.assignment_stats(course, items, "a1")
    assert [row["item"].cell for row in result.cells] == ["test_f"]
    assert result.excluded == ["essay: pending for 1 candidate"]
    assert {row["item"].case for row in result.cases} == {
        "forward",
        "backward",
        "huge_inputs",
        "torch_module",
    }


# A small course graded by the real nbgrader, and its reports.

ASSIGNMENTS = ("parameter_counting", "case_study")
CLASS = {  # student -> what they hand in of each assignment
    "ada": ("reference", "reference"),
    "cho": ("conv_without_input_depth", "ndcg_rank_one_undiscounted"),
    "dev": ("missing_biases", "weak_write_up"),
    "eli": ("correct_alternatives", "untouched"),
    "fay": ("copy of cho", "reference"),  # cho's notebook file, with the cell cho created
}
GRADED_BY_HAND = "ada"  # an instructor scored ada's written answers; the others' stay pending
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """A course with two assignments autograded by nbgrader, written answers partly graded by hand,
    and its reports written by `python -m tools.report`."""
    import shutil

    from nbgrader.api import Gradebook

    from tools import course, demo
    from tools.report.__main__ import main

    root = course.make_course(tmp_path_factory.mktemp("report") / "course")
    for other in course.assignments(root):
        if other not in ASSIGNMENTS:
            shutil.rmtree(root / "source" / other)
    course.generate_release(root)
    for index, assignment in enumerate(ASSIGNMENTS):
        for student, kinds in CLASS.items():
            if kinds[index].startswith("copy of "):
                original = root / "submitted" / kinds[index].removeprefix("copy of ") / assignment
                shutil.copytree(original, root / "submitted" / student / assignment)
                continue
            demo.hand_in(root, assignment, student, kinds[index])
            path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
            nb = nbformat.read(path, as_version=4)
            nb.cells.append(nbformat.v4.new_markdown_cell(f"{student}'s notes"))  # a fresh random id
            nbformat.write(nb, path)
        course.nbgrader(root, "autograde", assignment)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook("case_study", "case_study", GRADED_BY_HAND)
        for grade in notebook.grades:
            if grade.needs_manual_grade:
                grade.manual_score = grade.max_score / 2
                grade.needs_manual_grade = False
        gradebook.db.commit()
    main(["--course", str(root)])
    return root


def _written_cells() -> dict[str, float]:
    from tools import submissions

    return {
        submissions.nbgrader_meta(c)["grade_id"]: float(submissions.nbgrader_meta(c)["points"])
        for c in submissions.source_notebook("case_study").cells
        if c.cell_type == "markdown" and submissions.nbgrader_meta(c).get("grade")
    }


def _hidden_test_code() -> list[str]:
    """Lines of the hidden tests' code (not their docstrings, which are the hints students see)."""
    root = Path(__file__).resolve().parent.parent / "autograder"
    lines = set()
    for assignment in ASSIGNMENTS:
        for path in [*(root / assignment).glob("test_*.py"), root / assignment / "oracle.py"]:
            text = path.read_text()
            tree = ast.parse(text)
            docstrings = {
                id(node.body[0])
                for node in ast.walk(tree)
                if isinstance(node, (ast.FunctionDef, ast.Module, ast.ClassDef))
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.stmt)
                    and id(node) not in docstrings
                    and not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom))
                ):
                    for line in ast.get_source_segment(text, node).splitlines():
                        if len(line.strip()) >= 16:
                            lines.add(line.strip())
    return sorted(lines)


pipeline = pytest.mark.pipeline


@pipeline
def test_exports_have_one_row_per_candidate_skills_as_columns_and_the_gradebooks_totals(reports):
    from nbgrader.api import Gradebook, MissingEntry

    with open(reports / "reports" / "skills.csv") as handle:
        rows = list(csv.DictReader(handle))
    data = json.loads((reports / "reports" / "skills.json").read_text())
    with Gradebook(f"sqlite:///{reports / 'gradebook.db'}") as gradebook:
        students = sorted(s.id for s in gradebook.students)
        totals = {}
        for student in students:
            total = 0.0
            for assignment in ASSIGNMENTS:
                try:
                    total += gradebook.find_submission(assignment, student).score
                except MissingEntry:
                    pass
            totals[student] = total
    assert [row["student_id"] for row in rows] == students == sorted(CLASS)
    assert set(SKILLS) <= set(rows[0]), "every skill is a column"
    for row, entry in zip(rows, data["candidates"]):
        assert float(row["total_score"]) == pytest.approx(totals[row["student_id"]])
        earned = sum(skill["earned"] for skill in entry["skills"].values())
        assert earned == pytest.approx(totals[entry["student_id"]]), "skill points add up to the total"
        assert "flags" in row and "flag_kinds" in row
    pending = {row["student_id"]: float(row["pending_points"]) for row in rows}
    written = sum(_written_cells().values())
    assert pending == {"ada": 0.0, "cho": written, "dev": written, "eli": 0.0, "fay": written}, (
        "untouched answers are zero, not pending; graded ones are graded"
    )
    by_student = {row["student_id"]: row for row in rows}
    assert by_student["cho"]["ml-system-design"] == "", "nothing graded yet: no percentage"
    assert float(by_student["ada"]["ml-system-design"]) == pytest.approx(50.0)
    assert float(by_student["ada"]["model-size"]) == pytest.approx(100.0)
    assert float(by_student["cho"]["model-size"]) < 100.0


def browser_or_skip():
    if not CHROMIUM.is_file():
        pytest.skip(f"the report browser test needs Debian's chromium at {CHROMIUM}")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the report browser test needs the playwright package")
    from playwright import sync_api

    return sync_api


def _open(page_path: Path, screenshot: Path) -> tuple[str, list[str], list[str]]:
    """Renders a page in headless Chromium offline: its text, console errors and outside requests."""
    sync_api = browser_or_skip()
    errors, outside = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith("file:")
                    else (outside.append(route.request.url), route.abort())
                ),
            )
            page.goto(page_path.as_uri(), wait_until="load")
            assert page.locator("svg.chart").count() >= 1, "the page has its chart"
            box = page.locator("svg.chart").first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 60, box
            page.screenshot(path=str(screenshot), full_page=True)
            text = page.inner_text("body")
        finally:
            browser.close()
    return text, errors, outside


@pipeline
def test_candidate_report_renders_in_chromium_with_its_chart_and_no_errors(reports, tmp_path):
    for student in CLASS:
        page = reports / "reports" / "candidates" / f"{student}.html"
        shot = tmp_path / f"{student}.png"
        text, errors, outside = _open(page, shot)
        assert errors == [] and outside == [], (student, errors, outside)
        assert shot.stat().st_size > 20_000
        assert f"Candidate {student}" in text
        assert "not shown" in text and "foundational" in text and "strong" in text, "thresholds stated"
        pdf = page.with_suffix(".pdf")
        assert pdf.read_bytes()[:5] == b"%PDF-"


def _page_text(path: Path) -> str:
    """A page's text: the body's tags removed, entities decoded, white space collapsed."""
    body = path.read_text().split("<body>", 1)[1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", body)))


@pipeline
def test_candidate_report_shows_pending_written_answers_as_pending(reports):
    written = _written_cells()
    for student in ("cho", "dev"):
        text = _page_text(reports / "reports" / "candidates" / f"{student}.html")
        for cell in written:
            assert f"{cell}: pending, not graded by hand yet" in text, (student, cell)
        assert "points of written answers are pending" in text
        assert re.search(r"ml-system-design pending pending", text), "its heading says pending, not 0%"
    ada = _page_text(reports / "reports" / "candidates" / "ada.html")
    for cell, points in written.items():
        assert f"{cell}: {points / 2:g} / {points:g}" in ada
        assert f"{cell}: pending" not in ada


@pipeline
def test_candidate_report_shows_no_hidden_test_source_inputs_or_expected_values(reports):
    code_lines = _hidden_test_code()
    assert len(code_lines) > 50, "the check reads the hidden tests"
    for student in CLASS:
        page = (reports / "reports" / "candidates" / f"{student}.html").read_text()
        text = html.unescape(page)
        leaked = [line for line in code_lines if line in text]
        assert leaked == [], (student, leaked[:5])
        for marker in ("autograder.", "BEGIN HIDDEN", "student.", "assert ", "rng.", "Traceback"):
            assert marker not in text, (student, marker)
    # The failed checks are there, in words: the hint of a case cho's mistake fails.
    cho = html.unescape((reports / "reports" / "candidates" / "cho.html").read_text())
    assert "Each filter spans every input channel" in cho


@pipeline
def test_cohort_report_renders_and_says_why_item_statistics_are_missing(reports, tmp_path):
    text, errors, outside = _open(reports / "reports" / "cohort.html", tmp_path / "cohort.png")
    assert errors == [] and outside == []
    assert f"at least {stats.MIN_COHORT} candidates" in text and f"this cohort has {len(CLASS)}" in text
    assert "What this shows" in text


@pipeline
def test_item_analysis_of_the_graded_course_matches_the_gradebook(reports):
    """With the minimum lowered, the real course's item statistics come from the gradebook's scores."""
    from tools.report.collect import load

    course = load(reports)
    items = analysis.course_items(course)
    result = analysis.assignment_stats(course, items, "parameter_counting")
    assert result.n == len(CLASS)
    assert sorted(result.totals) == sorted(course.submission(s, "parameter_counting").score for s in CLASS)
    # every case of the course carries a skill of the contract
    assert {item.skill for rows in items.values() for item in rows} <= set(SKILLS)
    assert any(item.skill == "ml-system-design" and item.manual for item in items["case_study"])


def test_demo_cohort_is_large_enough_and_each_variant_is_one_persons_or_common():
    """The demo cohort shows real percentiles and item statistics, and flags only its planted copy:
    a variant handed in by exactly two people would share rare code and failures (a true signal)."""
    from collections import Counter

    from tools import demo

    cohort = demo.load_cohort()  # raises on a variant file that does not exist
    assert len(cohort["people"]) >= stats.MIN_COHORT
    for assignment in cohort["assignments"]:
        pairs = demo.cohort_class(cohort, assignment)
        assert len(pairs) >= stats.MIN_COHORT, assignment
        uses = Counter()
        for _, kind in pairs:
            if isinstance(kind, dict):
                continue
            for name in [kind] if isinstance(kind, str) else kind:
                uses[name] += 1
        copies = [kind["copy_of"] for _, kind in pairs if isinstance(kind, dict)]
        twice = {name for name, count in uses.items() if count == 2 and name != "reference"}
        for original in copies:  # a copy counts as one more use of the original's variants
            kinds = cohort["people"][original][assignment]
            twice -= set([kinds] if isinstance(kinds, str) else kinds)
        assert not twice, (assignment, twice)


@pipeline
def test_a_copied_notebook_raises_each_signal_for_review(reports):
    """fay handed in cho's parameter_counting file: same created cell, same rare code, same failures."""
    data = json.loads((reports / "reports" / "skills.json").read_text())
    flags = {entry["student_id"]: entry["flag_details"] for entry in data["candidates"]}
    kinds = {(f["kind"], tuple(f["students"]), f["assignment"]) for f in flags["fay"]}
    assert kinds == {
        ("shared cell id", ("cho", "fay"), "parameter_counting"),
        ("similar code", ("cho", "fay"), "parameter_counting"),
        ("same failures", ("cho", "fay"), "parameter_counting"),
    }
    assert all(not entries for student, entries in flags.items() if student not in ("cho", "fay")), flags
    fay = _page_text(reports / "reports" / "candidates" / "fay.html")
    assert "Review this: 3 integrity signals" in fay and "not findings of misconduct" in fay
    assert "No integrity signals" in _page_text(reports / "reports" / "candidates" / "ada.html")
    cohort = _page_text(reports / "reports" / "cohort.html")
    for kind in ("shared cell id", "similar code", "same failures"):
        assert kind in cohort


def test_an_instructors_override_of_a_cell_score_is_spread_over_its_cases():
    from tools.report.collect import _cases

    result = {
        "cases": [
            {"name": "a", "points": 2, "passed": True, "hint": "", "skill": "pytorch"},
            {"name": "b", "points": 1, "passed": True, "hint": "", "skill": "optimization"},
            {"name": "c", "points": 3, "passed": False, "hint": "", "skill": "optimization"},
        ]
    }
    as_graded = _cases(CellRecord("x", "test_f", 6.0, 3.0, False, False), result)
    assert [c.earned for c in as_graded] == [2.0, 1.0, 0.0]
    overridden = _cases(CellRecord("x", "test_f", 6.0, 4.5, False, False), result)
    assert [c.earned for c in overridden] == pytest.approx([3.0, 1.5, 0.0])
    from_zero = _cases(
        CellRecord("x", "test_f", 6.0, 3.0, False, False),
        {"cases": [dict(case, passed=False) for case in result["cases"]]},
    )
    assert sum(c.earned for c in from_zero) == pytest.approx(3.0)
    assert [c.skill for c in as_graded] == ["pytorch", "optimization", "optimization"]
