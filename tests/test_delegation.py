"""The grader's reading of the submitted source (`autograder.delegation`): what counts as handing the
work to a library, which code it refuses to trust, and what it must leave alone."""

import importlib

import pytest

from autograder import delegation
from autograder.delegation import Source
from autograder.runner import run_tests
from autograder.student import Student, StudentError
from conftest import ASSIGNMENTS, case_points, grade_cells
from tools import submissions

IMPORTS = "import numpy as np\nimport torch\nimport torch.nn.functional as F\nfrom torch import nn\n"
SOFTMAX_TORCH = delegation.rules("softmax")["softmax_torch"]
SCRATCH_ADAM = delegation.rules("optimizers")["ScratchAdam"]
LINEAR_FUNCTION = delegation.rules("backprop")["LinearFunction"]
NUMPY_SOFTMAX = """
def softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=axis, keepdims=True)
"""


def finding(*cells, name="softmax", rule="numpy"):
    return Source([IMPORTS, *cells]).finding(name, rule)


# --- numpy functions that hand the work to a library --------------------------------------------

DELEGATING = {
    "direct call": (
        ["def softmax(z, axis=-1):\n    return torch.softmax(torch.tensor(z), axis).numpy()"],
        "`softmax` calls `torch.softmax`",
    ),
    "import alias": (
        ["import torch as t", "def softmax(z, axis=-1):\n    return t.softmax(t.tensor(z), axis).numpy()"],
        "calls `torch.softmax`",
    ),
    "from-import alias": (
        [
            "from torch.nn import functional as G",
            "def softmax(z, axis=-1):\n    return G.softmax(torch.tensor(z), axis).numpy()",
        ],
        "calls `torch.nn.functional.softmax`",
    ),
    "scipy by another name": (
        [
            "from scipy.special import logsumexp as lse",
            "def softmax(z, axis=-1):\n    return np.exp(z - lse(z, axis=axis, keepdims=True))",
        ],
        "calls `scipy.special.logsumexp`",
    ),
    "import inside the function": (
        ["def softmax(z, axis=-1):\n    from scipy import special\n    return special.softmax(z, axis=axis)"],
        "calls `scipy.special.softmax`",
    ),
    "helper in another cell": (
        [
            "def helper(z, axis):\n    return F.softmax(torch.from_numpy(z), axis).numpy()",
            "def softmax(z, axis=-1):\n    return helper(z, axis)",
        ],
        "calls `torch.nn.functional.softmax` (through `helper`)",
    ),
    "helper of a helper": (
        [
            "def inner(z):\n    return torch.exp(torch.from_numpy(z)).numpy()",
            "def outer(z):\n    return inner(z)",
            "def softmax(z, axis=-1):\n    e = outer(z)\n    return e / e.sum(axis, keepdims=True)",
        ],
        "(through `outer`)",
    ),
    "module attribute bound at top level": (
        ["sm = torch.softmax", "def softmax(z, axis=-1):\n    return sm(torch.tensor(z), axis).numpy()"],
        "calls `torch.softmax`",
    ),
    "module object bound at top level": (
        [
            "functional = torch.nn.functional",
            "def softmax(z, axis=-1):\n    return functional.softmax(z, axis)",
        ],
        "calls `torch.nn.functional.softmax`",
    ),
    "torch module built at top level": (
        ["layer = nn.Softmax(dim=-1)", "def softmax(z, axis=-1):\n    return layer(z)"],
        "(through `layer`)",
    ),
    "rebound after its definition": ([NUMPY_SOFTMAX, "softmax = torch.softmax"], "uses `torch.softmax`"),
    "default argument": (
        ["def softmax(z, axis=-1, lib=torch):\n    return lib.softmax(z, axis)"],
        "uses `torch`",
    ),
    "lambda": (
        ["softmax = lambda z, axis=-1: F.softmax(torch.tensor(z), axis).numpy()"],
        "calls `torch.nn.functional.softmax`",
    ),
    "class holding the helper": (
        ["class Tools:\n    act = torch.softmax", "def softmax(z, axis=-1):\n    return Tools.act(z, axis)"],
        "(through `Tools`)",
    ),
    "decorator": (
        [
            "def wrap(f):\n    return lambda z, axis=-1: torch.softmax(torch.tensor(z), axis).numpy()",
            "@wrap\ndef softmax(z, axis=-1):\n    return z",
        ],
        "(through `wrap`)",
    ),
    "star import": (["from torch import *", NUMPY_SOFTMAX], "uses `torch.softmax`"),
    "numpy patched with torch": (
        [
            "def fast_exp(z):\n    return torch.exp(torch.from_numpy(z)).numpy()",
            "np.exp = fast_exp",
            NUMPY_SOFTMAX,
        ],
        "(through `numpy.exp`)",
    ),
    "sklearn": (
        [
            "from sklearn.metrics import ndcg_score",
            "def softmax(z, axis=-1):\n    return ndcg_score([z], [z])",
        ],
        "calls `sklearn.metrics.ndcg_score`",
    ),
    "a magic that runs code": (["%time softmax = torch.softmax"], "uses `torch.softmax`"),
}


@pytest.mark.parametrize("cells", [v[0] for v in DELEGATING.values()], ids=list(DELEGATING))
def test_a_numpy_function_that_reaches_a_library_is_found(cells):
    expected = next(v[1] for v in DELEGATING.values() if v[0] is cells)
    found = finding(*cells)
    assert expected in found and found.endswith("this question asks for numpy."), found


# --- code the grader cannot read ----------------------------------------------------------------

DYNAMIC = {
    "importlib by name": (
        "import importlib\ndef softmax(z, axis=-1):\n"
        "    t = importlib.import_module('tor' + 'ch')\n    return t.softmax(t.tensor(z), axis)",
        "import_module",
    ),
    "from importlib": (
        "from importlib import import_module as im\ndef softmax(z, axis=-1):\n"
        "    return im('torch').softmax(z)",
        "importlib.import_module",
    ),
    "__import__": (
        "def softmax(z, axis=-1):\n    return __import__('tor' + 'ch').softmax(z, axis)",
        "__import__",
    ),
    "getattr with a computed name": (
        "def softmax(z, axis=-1):\n    return getattr(np, 'ex' + 'p')(z)",
        "getattr",
    ),
    "getattr passed around": (
        "def softmax(z, axis=-1):\n    g = getattr\n    return g(np, 'exp')(z)",
        "getattr",
    ),
    "setattr with a computed name": (
        "def softmax(z, axis=-1):\n    setattr(np, 'e' + 'xp', abs)\n    return z",
        "setattr",
    ),
    "exec": ("def softmax(z, axis=-1):\n    exec('r = z')\n    return z", "exec"),
    "eval": ("def softmax(z, axis=-1):\n    return eval('z')", "eval"),
    "compile": ("def softmax(z, axis=-1):\n    code = compile('1', 's', 'eval')\n    return z", "compile"),
    "globals()": ("def softmax(z, axis=-1):\n    return globals()['torch'].softmax(z)", "globals"),
    "vars()": ("def softmax(z, axis=-1):\n    return vars(np)['exp'](z)", "vars"),
    "sys.modules": (
        "import sys\ndef softmax(z, axis=-1):\n    return sys.modules['torch'].softmax(z)",
        "sys.modules",
    ),
    "sys.modules through os": (
        "import os\ndef softmax(z, axis=-1):\n    return os.sys.modules['torch']",
        "os.sys.modules",
    ),
    "__builtins__": ("def softmax(z, axis=-1):\n    return __builtins__.abs(z)", "__builtins__"),
    "dunder escape": (
        "def softmax(z, axis=-1):\n    return z.__class__.__mro__[-1].__subclasses__()",
        "__subclasses__",
    ),
    "function globals": ("def softmax(z, axis=-1):\n    return softmax.__globals__['torch']", "__globals__"),
    "frames": (
        "import inspect\ndef softmax(z, axis=-1):\n    return inspect.currentframe().f_globals",
        "f_globals",
    ),
    "pickle": ("import pickle\ndef softmax(z, axis=-1):\n    return pickle.loads(b'x')", "pickle.loads"),
    "subprocess": (
        "import subprocess\ndef softmax(z, axis=-1):\n    subprocess.run(['python', '-c', '1'])\n"
        "    return z",
        "subprocess.run",
    ),
    "dynamic code in a helper": (
        "def helper(z):\n    return eval('z')\ndef softmax(z, axis=-1):\n    return helper(z)",
        "eval",
    ),
}


@pytest.mark.parametrize("cell", [v[0] for v in DYNAMIC.values()], ids=list(DYNAMIC))
def test_dynamic_code_in_a_graded_function_or_its_helpers_is_refused(cell):
    word = next(v[1] for v in DYNAMIC.values() if v[0] is cell)
    found = finding(cell)
    assert f"`{word}`" in found and "the grader cannot check" in found, found


NOTEBOOK_WIDE = {
    "exec at the top level": "exec('softmax = lambda z, axis=-1: z')",
    "globals() at the top level": "globals()['softmax'] = torch.softmax",
    "an AST transformer": "get_ipython().ast_transformers.append(None)",
    "IPython's namespace": "get_ipython().user_ns['softmax'] = torch.softmax",
    "%run": "%run other.py",
    "a hook that rebinds": "def hook(*args):\n    exec('softmax = None')\n\n"
    "get_ipython().events.register('pre_run_cell', hook)",
    "a computed getattr at the top level": "helpers = getattr(np, 'te' + 'sting')",
}


@pytest.mark.parametrize("cell", list(NOTEBOOK_WIDE.values()), ids=list(NOTEBOOK_WIDE))
def test_code_that_can_rebind_names_anywhere_in_the_notebook_refuses_every_graded_name(cell):
    found = finding(NUMPY_SOFTMAX, cell)
    assert found.startswith("The notebook uses") and "change what `softmax` runs" in found, found
    assert "change what `log_softmax` runs" in Source([IMPORTS, cell]).finding(
        "log_softmax", "numpy"
    ) or not Source([IMPORTS, cell]).analysis.definitions("log_softmax")


def test_dynamic_code_inside_one_graded_function_costs_only_that_function():
    cells = [
        NUMPY_SOFTMAX,
        "import importlib\ndef log_softmax(z, axis=-1):\n"
        "    t = importlib.import_module('tor' + 'ch')\n    return t.log_softmax(t.tensor(z), axis).numpy()",
    ]
    assert "import_module" in finding(*cells, name="log_softmax")
    assert finding(*cells, name="softmax") == ""


# --- what must keep full marks ------------------------------------------------------------------

HONEST = {
    "numpy softmax in a notebook that imports torch": NUMPY_SOFTMAX,
    "math and functools": "import math, functools\ndef softmax(z, axis=-1):\n"
    "    return np.exp(z - functools.reduce(max, [math.inf * 0 + np.max(z)]))",
    "sys.float_info": "import sys\ndef softmax(z, axis=-1):\n    return z + sys.float_info.epsilon",
    "a numpy helper in another cell": "def lse(z, axis):\n    m = np.max(z, axis=axis, keepdims=True)\n"
    "    return m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))\n\n"
    "def softmax(z, axis=-1):\n    return np.exp(z - lse(z, axis))",
    "getattr with a constant name": "def softmax(z, axis=-1):\n    return getattr(np, 'exp')(z)",
    "magics and shell commands": "%matplotlib inline\n!ls\n%time x = 1\n" + NUMPY_SOFTMAX,
    "type annotations naming torch": "def softmax(z: torch.Tensor, axis: int = -1) -> np.ndarray:\n"
    "    return z",
    "torch used at the top level only": "x = torch.softmax(torch.zeros(3), 0)\n" + NUMPY_SOFTMAX,
    "a shadowing local": "def softmax(z, axis=-1):\n    torch = np\n    return torch.exp(z)",
    "super().__init__ and methods": "class Helper:\n    def __init__(self):\n        super().__init__()\n"
    "def softmax(z, axis=-1):\n    Helper()\n    return z",
    "printing and warnings": "import warnings\ndef softmax(z, axis=-1):\n    print(z.shape)\n"
    "    warnings.warn('x')\n    return z",
}


@pytest.mark.parametrize("cell", list(HONEST.values()), ids=list(HONEST))
def test_honest_numpy_code_is_not_flagged(cell):
    assert finding(cell) == ""


def test_every_reference_solution_and_correct_alternative_is_clean():
    for assignment in ASSIGNMENTS:
        rules = delegation.rules(assignment)
        paths = [None] + [
            p
            for p in sorted((submissions.ROOT / "tests" / "submissions" / assignment).glob("*.py"))
            if not submissions.variant_failures(p)
        ]
        for path in paths:
            source = Source(submissions.sources(assignment, path))
            for name, rule in rules.items():
                assert source.finding(name, rule) == "", (assignment, path, name)


# --- PyTorch functions: tensor operations yes, the built-in that answers no ----------------------

TORCH_FOUND = {
    "torch.softmax": "def softmax_torch(z, dim=-1):\n    return torch.softmax(z, dim)",
    "F.softmax": "def softmax_torch(z, dim=-1):\n    return F.softmax(z, dim=dim)",
    "the method": "def softmax_torch(z, dim=-1):\n    return z.softmax(dim)",
    "the method through a list": "def softmax_torch(z, dim=-1):\n    return [z][0].log_softmax(dim).exp()",
    "nn.Softmax": "def softmax_torch(z, dim=-1):\n    return nn.Softmax(dim)(z)",
    "its home module": "from torch.nn.modules.activation import Softmax as S\n"
    "def softmax_torch(z, dim=-1):\n    return S(dim)(z)",
    "a constant getattr": "def softmax_torch(z, dim=-1):\n    return getattr(torch, 'softmax')(z, dim)",
    "turning tracing off": "def softmax_torch(z, dim=-1):\n    with torch._C.DisableTorchFunction():\n"
    "        return torch.exp(z) / torch.exp(z).sum(dim, keepdim=True)",
    "scipy on a tensor": "import scipy.special\ndef softmax_torch(z, dim=-1):\n"
    "    return torch.tensor(scipy.special.softmax(z.numpy(), dim))",
}


@pytest.mark.parametrize("cell", list(TORCH_FOUND.values()), ids=list(TORCH_FOUND))
def test_a_torch_function_may_not_use_the_builtin_it_is_asked_to_write(cell):
    found = finding(cell, name="softmax_torch", rule=SOFTMAX_TORCH)
    assert found.startswith("`softmax_torch` "), found


def test_a_torch_function_may_use_tensor_operations():
    cell = (
        "def softmax_torch(z, dim=-1):\n    s = z - z.amax(dim=dim, keepdim=True).detach()\n"
        "    e = torch.exp(s)\n    return e / e.sum(dim=dim, keepdim=True)"
    )
    assert finding(cell, name="softmax_torch", rule=SOFTMAX_TORCH) == ""
    assert "torch.exp" in finding(cell.replace("softmax_torch", "softmax"))  # but not in a numpy function


ADAM_FOUND = {
    "subclass": "class ScratchAdam(torch.optim.Adam):\n    pass",
    "subclass of AdamW": "class ScratchAdam(torch.optim.AdamW):\n    pass",
    "subclass through a base in another cell": "class Base(torch.optim.Adam):\n    pass\n\n"
    "class ScratchAdam(Base):\n    pass",
    "wrapped": "class ScratchAdam(torch.optim.Optimizer):\n    def __init__(self, params, lr=1e-3):\n"
    "        self.inner = torch.optim.Adam(params, lr=lr)\n    def step(self, closure=None):\n"
    "        return self.inner.step(closure)",
    "functional update": "from torch.optim import _functional\nclass ScratchAdam(torch.optim.Optimizer):\n"
    "    def step(self, closure=None):\n        _functional.adam([], [], [], [], [], [])",
    "fused kernel": "class ScratchAdam(torch.optim.Optimizer):\n    def step(self, closure=None):\n"
    "        torch._fused_adam_([], [], [], [], [], [])",
    "method patched in later": "class ScratchAdam(torch.optim.Optimizer):\n    pass\n\n"
    "ScratchAdam.step = torch.optim.Adam.step",
}


@pytest.mark.parametrize("cell", list(ADAM_FOUND.values()), ids=list(ADAM_FOUND))
def test_scratch_adam_may_not_use_torch_adam(cell):
    assert finding(cell, name="ScratchAdam", rule=SCRATCH_ADAM).startswith("`ScratchAdam` ")


def test_autograd_in_a_hand_written_backward_is_found():
    cell = (
        "class LinearFunction(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, w, b):\n"
        "        ctx.save_for_backward(x, w, b)\n        return x @ w + b\n    @staticmethod\n"
        "    def backward(ctx, g):\n        x, w, b = ctx.saved_tensors\n        with torch.enable_grad():\n"
        "            x, w, b = (t.detach().requires_grad_() for t in (x, w, b))\n"
        "            return torch.autograd.grad(x @ w + b, (x, w, b), g)"
    )
    assert "torch.enable_grad" in finding(cell, name="LinearFunction", rule=LINEAR_FUNCTION)
    clean = (
        "class LinearFunction(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, w, b):\n"
        "        ctx.save_for_backward(x, w)\n        return x @ w + b\n    @staticmethod\n"
        "    def backward(ctx, g):\n        x, w = ctx.saved_tensors\n"
        "        return g @ w.T, x.T @ g, g.sum(0)"
    )
    assert finding(clean, name="LinearFunction", rule=LINEAR_FUNCTION) == ""
    assert (
        Source([IMPORTS, clean]).subclass(
            "LinearFunction", "torch.autograd.Function", ["forward", "backward"]
        )
        == ""
    )
    plain = "class LinearFunction:\n    @staticmethod\n    def apply(x, w, b):\n        return x @ w + b"
    assert "subclass of" in Source([IMPORTS, plain]).subclass("LinearFunction", "torch.autograd.Function")


# --- arguments changed in place -----------------------------------------------------------------

IN_PLACE = {
    "augmented assignment": "def f(z):\n    z -= z.max()\n    return z",
    "subscript assignment": "def f(z):\n    z[z < 0] = 0\n    return z",
    "through an alias": "def f(z):\n    a = z\n    a *= 2\n    return a",
    "through np.asarray": "def f(z):\n    a = np.asarray(z, dtype=np.float64)\n    a.sort()\n    return a",
    "a reversed view sorted": "def f(z):\n    ideal = z\n    ideal[::-1].sort()\n    return ideal",
    "a reshaped view": "def f(z):\n    flat = z.reshape(-1)\n    flat[0] = 1\n    return z",
    "a row in a loop": "def f(z):\n    for row in z:\n        row -= row.max()\n    return z",
    "out=": "def f(z):\n    np.exp(z, out=z)\n    return z",
    "a ufunc's positional out": "def f(z):\n    np.exp(z, z)\n    return z",
    "fill": "def f(z):\n    z.fill(0)\n    return z",
    "a torch in-place method": "def f(z):\n    return z.sub_(z.amax())",
    "a torch in-place method on a detached view": "def f(z):\n    z.detach().mul_(2)\n    return z",
    "np.copyto": "def f(z):\n    np.copyto(z, 0)\n    return z",
    "a helper that changes its argument": "def g(a):\n    a[0] = 1\n\ndef f(z):\n    g(z)\n    return z",
    "in a branch": "def f(z, flag=True):\n    if flag:\n        z += 1\n    return z",
    "astype without a copy": "def f(z):\n    a = z.astype(np.float64, copy=False)\n    a -= 1\n    return a",
}


@pytest.mark.parametrize("cell", list(IN_PLACE.values()), ids=list(IN_PLACE))
def test_an_argument_changed_in_place_is_found(cell):
    found = Source([IMPORTS, cell]).changes_argument("f", 0)
    assert found.startswith("`f` changes its argument `z` in place"), found
    with pytest.raises(StudentError):
        Source([IMPORTS, cell]).unchanged("f", 0)


NOT_IN_PLACE = {
    "new arrays": "def f(z):\n    z = z - z.max()\n    z -= 1\n    return z",
    "a copy first": "def f(z):\n    z = z.copy()\n    z -= z.max()\n    z.sort()\n    return z",
    "np.array copies": "def f(z):\n    a = np.array(z, dtype=float)\n    a.sort()\n    return a",
    "astype copies": "def f(z):\n    a = z.astype(np.float64)\n    a -= a.max()\n    return a",
    "a local built from it": "def f(z):\n    out = np.exp(z)\n    out /= out.sum()\n    out[0] = 0\n"
    "    return out",
    "np.sort": "def f(z):\n    return np.sort(z)[::-1]",
    "an index from range(len(z))": "def f(z):\n    total = 0\n    for i in range(len(z)):\n        i += 1\n"
    "        total += z[i - 1]\n    return total",
    "enumerate counter": "def f(z):\n    for i, v in enumerate(z):\n        i += 1\n    return z",
    "another argument": "def f(z, k):\n    k -= 1\n    return z[:k]",
    "a helper that does not change it": "def g(a):\n    return a.sum()\n\ndef f(z):\n    return g(z)",
}


@pytest.mark.parametrize("cell", list(NOT_IN_PLACE.values()), ids=list(NOT_IN_PLACE))
def test_code_that_leaves_its_argument_alone_is_not_flagged(cell):
    assert Source([IMPORTS, cell]).changes_argument("f", 0) == ""


def test_without_sources_nothing_is_known_or_decided():
    source = Source(None)
    assert not source.known
    assert source.finding("softmax", "numpy") == "" and source.changes_argument("softmax", 0) == ""
    source.unchanged("softmax", 0)


def test_code_as_deep_as_python_compiles_is_read():
    deep = "def softmax(z, axis=-1):\n    return " + " + ".join(["z"] * 900)
    compile(deep, "cell", "exec")
    assert finding(deep) == ""
    assert "torch.exp" in finding(deep + " + torch.exp(z)")


def test_the_grade_cell_tests_the_longest_matching_name():
    names = ["softmax", "softmax_loss", "softmax_torch", "log_softmax"]
    assert delegation.tested_name("test_softmax_loss_stability", names) == "softmax_loss"
    assert delegation.tested_name("test_softmax_stability", names) == "softmax"
    assert delegation.tested_name("test_unrelated", names) is None


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_name_has_a_rule_and_every_grade_cell_its_name(assignment):
    rules = delegation.rules(assignment)
    if not rules:
        pytest.skip(f"{assignment} has no RULES yet")
    cells = submissions.source_notebook(assignment).cells
    code_solutions = {
        submissions.nbgrader_meta(cell)["grade_id"]
        for cell in cells
        if cell.cell_type == "code" and submissions.nbgrader_meta(cell).get("solution")
    }
    assert set(rules) == code_solutions
    for cell in grade_cells(assignment):
        if cell.hidden:
            assert delegation.tested_name(cell.grade_id, rules), cell.grade_id


def test_a_finding_fails_every_case_of_the_cells_of_that_function_only():
    path = submissions.ROOT / "tests" / "submissions" / "softmax" / "softmax_torch_calls_builtin.py"
    student = Student(submissions.namespace("softmax", path))
    sources = submissions.sources("softmax", path)
    flagged = run_tests("softmax", "test_softmax_torch", student, sources=sources)
    assert flagged.cases and not any(case.passed for case in flagged.cases)
    assert all(case.problem.startswith("`softmax_torch` calls `torch.softmax`") for case in flagged.cases)
    other = run_tests("softmax", "test_softmax", student, sources=sources)
    assert all(case.passed for case in other.cases)
    unread = run_tests("softmax", "test_softmax_torch", student)  # no sources: nothing decided from them
    assert any(case.passed for case in unread.cases)


# --- what the student's kernel reports can only take points away --------------------------------

# attack variant -> the same wrong code without the attack
ATTACKS = {
    ("softmax", "attack_softmax_torch_hides_builtin"): "softmax_torch_calls_builtin",
    ("softmax", "attack_overwrites_input_and_forges_probes"): "modifies_input_in_place",
    ("backprop", "attack_linear_function_hides_autograd"): "linear_function_uses_autograd",
    ("optimizers", "attack_scratch_adam_forges_facts"): "scratch_adam_wraps_torch_adam",
    ("case_study", "attack_ndcg_sorts_input_forges_probe"): "ndcg_sorts_input_in_place",
}


@pytest.mark.parametrize(("assignment", "attack"), list(ATTACKS), ids=[a for _, a in ATTACKS])
def test_an_attack_on_the_probes_earns_no_more_than_the_plain_wrong_code(assignment, attack):
    """test_hidden_tests checks that each variant fails exactly its FAILS; here, that the attack's
    FAILS cost at least what the plain code's do, case by case."""
    folder = submissions.ROOT / "tests" / "submissions" / assignment
    attacked = submissions.variant_failures(folder / f"{attack}.py")
    plain = submissions.variant_failures(folder / f"{ATTACKS[assignment, attack]}.py")
    points = case_points(assignment)
    for cell, cases in plain.items():
        assert cases <= attacked.get(cell, set()), cell
    lost = sum(points[cell][case] for cell, cases in attacked.items() for case in cases)
    assert lost >= sum(points[cell][case] for cell, cases in plain.items() for case in cases) > 0


def _forged(module, name, fn):
    fn.__module__, fn.__name__ = module.__name__, name
    return fn


def _hand_written_facts(ns, name, inputs, grad_output):
    return {
        "is_function": True,
        "defines_backward": True,
        "grad_fn": f"{name}Backward",
        "backward_calls": [],
        "backward_raised": None,
    }


def _plain_optimizer(probe):
    mro = ["ScratchAdam", "torch.optim.optimizer.Optimizer", "builtins.object"]
    return lambda ns, *args, **kwargs: {**probe(ns, *args, **kwargs), "torch_adam_calls": 0, "mro": mro}


FORGERIES = {
    # variant: (probe to forge, forged probe given the real one, grade cell, case the forgery is after)
    "softmax/modifies_input_in_place": (
        "arguments_after_call",
        lambda real: lambda ns, name, *args: {"raised": None, "args": list(args)},
        "test_softmax",
        "leaves_input_unchanged",
    ),
    "softmax/softmax_torch_calls_builtin": (
        "torch_calls_of_softmax_torch",
        lambda real: lambda ns, z, dim: {"raised": None, "calls": []},
        "test_softmax_torch",
        "calls_no_builtin_softmax",
    ),
    "backprop/linear_function_uses_autograd": (
        "backward_facts",
        lambda real: _hand_written_facts,
        "test_LinearFunction",
        "hand_written_backward",
    ),
    "optimizers/scratch_adam_wraps_torch_adam": (
        "ScratchAdam",
        _plain_optimizer,
        "test_ScratchAdam",
        "written_from_scratch",
    ),
    "case_study/ndcg_sorts_input_in_place": (
        "ndcg_input_after_call",
        lambda real: lambda ns, relevance, k: relevance,
        "test_ndcg_at_k",
        "leaves_input_unchanged",
    ),
}


@pytest.mark.parametrize("variant", list(FORGERIES))
def test_a_forged_probe_grants_nothing_the_source_and_values_do_not(variant, monkeypatch):
    """With the probe forged to report what the case wants (as code in the student's kernel can),
    the case still fails: the grader decides from the submitted source and the values. Without
    the source (nothing read in the grader), the same forgery would have earned the case."""
    assignment, stem = variant.split("/")
    probe, forge, cell, case = FORGERIES[variant]
    module = importlib.import_module(f"autograder.{assignment}.probes")
    monkeypatch.setattr(module, probe, _forged(module, probe, forge(getattr(module, probe))))
    path = submissions.ROOT / "tests" / "submissions" / assignment / f"{stem}.py"
    student = Student(submissions.namespace(assignment, path))

    def passed(sources):
        result = run_tests(assignment, cell, student, sources=sources)
        return next(c.passed for c in result.cases if c.name == case)

    assert not passed(submissions.sources(assignment, path))
    assert passed(None)


def test_dynamic_code_in_a_graded_function_the_notebook_runs_costs_that_function_only():
    cells = [
        NUMPY_SOFTMAX,
        "import importlib\ndef log_softmax(z, axis=-1):\n"
        "    return importlib.import_module('tor' + 'ch').log_softmax(z, axis)",
        "demo = log_softmax(np.zeros(3))",
    ]
    source = Source([IMPORTS, *cells])
    graded = ["softmax", "log_softmax"]
    assert "import_module" in source.finding("log_softmax", "numpy", graded=graded)
    assert source.finding("softmax", "numpy", graded=graded) == ""
    assert "The notebook uses" in source.finding("softmax", "numpy")  # a helper nobody grades: refused
