"""Reads the submitted source, in the grader, to decide whether a graded function does its own work.

The contract: a numpy function is written with numpy and the Python standard library only; a
PyTorch function may use tensor operations, but not the built-in that answers its question. Each
assignment states this per graded name in `RULES`, in its `__init__.py`:

    RULES = {
        "softmax": "numpy",
        "softmax_torch": ("torch", ["torch.softmax", "torch.nn.functional.softmax", ...]),
    }

- `"numpy"`: numpy and the standard library only. Reaching torch, scipy, scikit-learn or any other
  module from the function (directly, through a helper, an alias or a global bound to it) fails.
- `("torch", forbidden)`: numpy, torch and the standard library, except torch's private parts
  (`torch._C`, `torch.ops`, ...) and the dotted names in `forbidden`, with their aliases (a module
  forbids everything in it, a class its subclasses; `torch.Tensor.x` also forbids the method `.x`
  called on any value).

Under every rule, code the grader cannot read is refused: `exec`, `eval`, `compile`, `__import__`,
`importlib`, `getattr`/`setattr` with a computed name, `globals()`, `vars()`, `sys.modules`,
`__builtins__`, dunder attributes such as `__globals__`, frames, `pickle`, `ctypes`, ... anywhere a
graded function can reach; code that can rebind names behind the grader's back (`exec`, `globals()`,
IPython's `user_ns` or AST transformers, ...) anywhere in the notebook refuses every graded name.

Only plain source text is read (the code cells of the submission); nothing of the student's runs
here. What a probe measures in the student's kernel can only take points away: this module is what
grants them. `Source.changes_argument` finds, the same way, a function that modifies an argument in
place (augmented or subscript assignment, `out=`, `sort`, `fill`, torch's `*_` methods, ... on the
argument or a view of it, also through a helper).
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

NUMPY, TORCH = "numpy", "torch"
Rule = str | tuple[str, Sequence[str]]

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
# Builtins that run code from strings or reach namespaces.
DYNAMIC_BUILTINS = frozenset(
    {
        "exec",
        "eval",
        "compile",
        "__import__",
        "globals",
        "vars",
        "locals",
        "breakpoint",
        "__builtins__",
        "__loader__",
        "__spec__",
        "__build_class__",
    }
)
NAMED_ACCESS = frozenset({"getattr", "setattr", "delattr"})  # dynamic unless the name is a constant
# Standard-library modules that import, run code from strings, or reach other modules' objects.
DYNAMIC_MODULES = frozenset(
    {
        "importlib",
        "imp",
        "_imp",
        "runpy",
        "code",
        "codeop",
        "ctypes",
        "_ctypes",
        "gc",
        "inspect",
        "pickle",
        "_pickle",
        "pickletools",
        "marshal",
        "shelve",
        "copyreg",
        "pkgutil",
        "zipimport",
        "pydoc",
        "doctest",
        "timeit",
        "trace",
        "cProfile",
        "profile",
        "pdb",
        "bdb",
        "unittest",
        "xmlrpc",
        "__main__",
        "_frozen_importlib",
        "_frozen_importlib_external",
        "sysconfig",
        "site",
        "_thread",
        "atexit",
        "subprocess",
        "multiprocessing",
        "concurrent",
        "_posixsubprocess",
        "pty",
        "ensurepip",
        "venv",
        "idlelib",
        "_testcapi",
        "_testinternalcapi",
        "faulthandler",
    }
)
# Of those, the ones that cannot change what the student's own kernel runs.
OTHER_PROCESS = frozenset({"subprocess", "multiprocessing", "concurrent", "_posixsubprocess", "pty"})
DYNAMIC_PATHS = (
    "os.system",
    "os.popen",
    "os.exec",
    "os.spawn",
    "os.posix_spawn",
    "os.fork",
    "os.sys",
    "types.FunctionType",
    "types.CodeType",
    "types.ModuleType",
    "types.LambdaType",
    "operator.attrgetter",
    "operator.methodcaller",
    "logging.config",
    "asyncio.create_subprocess",
    "asyncio.subprocess",
    "io.open_code",
    "functools.singledispatch",
)
SAFE_SYS = frozenset(
    {
        "sys.float_info",
        "sys.maxsize",
        "sys.int_info",
        "sys.hash_info",
        "sys.version",
        "sys.version_info",
        "sys.platform",
        "sys.byteorder",
        "sys.getsizeof",
        "sys.getrecursionlimit",
        "sys.setrecursionlimit",
        "sys.stdout",
        "sys.stderr",
        "sys.exit",
        "sys.maxunicode",
        "sys.float_repr_style",
    }
)
# Attributes that reach frames, namespaces, the interpreter or IPython's code-changing machinery.
DYNAMIC_ATTRIBUTES = frozenset(
    {
        "f_globals",
        "f_locals",
        "f_back",
        "f_builtins",
        "f_code",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "cr_code",
        "ag_frame",
        "ag_code",
        "tb_frame",
        "tb_next",
        "pythonapi",
        "user_ns",
        "user_global_ns",
        "user_ns_hidden",
        "ast_transformers",
        "input_transformers_cleanup",
        "input_transformers_post",
        "input_transformer_manager",
        "run_cell",
        "run_cell_async",
        "run_code",
        "run_ast_nodes",
        "ex",
        "ev",
        "safe_execfile",
        "safe_execfile_ipy",
        "safe_run_module",
        "push",
        "import_module",
        "load_module",
        "exec_module",
        "meta_path",
        "path_hooks",
        "ctypes",
        "register_magic_function",
        "kernel",
    }
)
# A module that other modules keep as an attribute (`np.testing.sys`, `os.sys`): a way to sys.modules.
MODULE_ATTRIBUTES = frozenset(
    {
        "sys",
        "builtins",
        "os",
        "importlib",
        "gc",
        "inspect",
        "ctypes",
        "_ctypes",
        "subprocess",
        "pickle",
        "marshal",
        "runpy",
        "__main__",
        "_imp",
    }
)
# Attributes that start a program outside the kernel: refused inside graded code only.
PROCESS_ATTRIBUTES = frozenset({"system", "getoutput", "system_piped", "system_raw"})
SAFE_DUNDERS = frozenset(
    {
        "__init__",
        "__name__",
        "__qualname__",
        "__doc__",
        "__class__",
        "__len__",
        "__call__",
        "__new__",
        "__repr__",
        "__str__",
        "__eq__",
        "__hash__",
        "__version__",
    }
)
# IPython magics that leave the kernel's names and code alone, and those whose argument is code.
HARMLESS_MAGICS = frozenset(
    {
        "matplotlib",
        "config",
        "load_ext",
        "reload_ext",
        "unload_ext",
        "autoreload",
        "aimport",
        "pip",
        "conda",
        "mamba",
        "who",
        "whos",
        "who_ls",
        "pwd",
        "ls",
        "cd",
        "env",
        "pinfo",
        "pinfo2",
        "psearch",
        "pdoc",
        "pdef",
        "psource",
        "pfile",
        "precision",
        "page",
        "lsmagic",
        "magic",
        "history",
        "writefile",
        "file",
        "html",
        "HTML",
        "markdown",
        "latex",
        "javascript",
        "js",
        "svg",
        "bash",
        "sh",
        "script",
        "system",
        "sx",
        "xmode",
        "colors",
        "pprint",
        "automagic",
        "autocall",
        "notebook",
        "clear",
        "reset",
        "reset_selective",
        "xdel",
        "doctest_mode",
        "killbgscripts",
        "python",
        "python3",
        "perl",
        "ruby",
    }
)
CODE_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
IPYTHON_NAMES = frozenset(
    {
        "In",
        "Out",
        "_",
        "__",
        "___",
        "_i",
        "_ii",
        "_iii",
        "_ih",
        "_oh",
        "_dh",
        "exit",
        "quit",
        "get_ipython",
        "display",
        "__name__",
        "__doc__",
    }
)
# torch's private corners and the machinery that turns tracing off or swaps implementations.
TORCH_ALWAYS_FORBIDDEN = (
    "torch.ops",
    "torch.overrides",
    "torch.library",
    "torch.utils._python_dispatch",
    "torch._C",
    "torch.compile",
    "torch.jit",
    "torch._dynamo",
)

# In-place changes of an array or tensor.
INPLACE_METHODS = frozenset(
    {
        "sort",
        "fill",
        "resize",
        "put",
        "itemset",
        "partition",
        "setfield",
        "setflags",
        "shuffle",
        "byteswap",
        "set_",
        "clip_",
    }
)
VIEW_METHODS = frozenset(
    {
        "view",
        "view_as",
        "reshape",
        "reshape_as",
        "ravel",
        "squeeze",
        "unsqueeze",
        "transpose",
        "swapaxes",
        "swapdims",
        "permute",
        "T",
        "mT",
        "H",
        "mH",
        "t",
        "real",
        "imag",
        "flat",
        "data",
        "detach",
        "numpy",
        "narrow",
        "select",
        "expand",
        "expand_as",
        "flatten",
        "contiguous",
        "as_strided",
        "unfold",
        "diagonal",
        "movedim",
        "moveaxis",
        "unflatten",
        "split",
        "chunk",
        "unbind",
        "to",
        "type",
        "double",
        "float",
        "type_as",
        "cpu",
        "requires_grad_",
        "__array__",
        "base",
        "tensor_split",
        "hsplit",
        "vsplit",
        "dsplit",
        "squeeze_",
        "unsqueeze_",
        "clone_",
        "get",
        "values",
    }
)
VIEW_FUNCTIONS = frozenset(
    {
        "numpy.asarray",
        "numpy.asanyarray",
        "numpy.ascontiguousarray",
        "numpy.asfortranarray",
        "numpy.atleast_1d",
        "numpy.atleast_2d",
        "numpy.atleast_3d",
        "numpy.reshape",
        "numpy.ravel",
        "numpy.squeeze",
        "numpy.transpose",
        "numpy.swapaxes",
        "numpy.moveaxis",
        "numpy.expand_dims",
        "numpy.broadcast_to",
        "numpy.flip",
        "numpy.fliplr",
        "numpy.flipud",
        "numpy.rot90",
        "numpy.diagonal",
        "numpy.real",
        "numpy.imag",
        "numpy.require",
        "numpy.split",
        "numpy.array_split",
        "numpy.hsplit",
        "numpy.vsplit",
        "numpy.dsplit",
        "numpy.matrix_transpose",
        "numpy.permute_dims",
        "numpy.asmatrix",
        "numpy.lib.stride_tricks.as_strided",
        "numpy.lib.stride_tricks.sliding_window_view",
        "torch.as_tensor",
        "torch.from_numpy",
        "torch.asarray",
        "torch.reshape",
        "torch.flatten",
        "torch.squeeze",
        "torch.unsqueeze",
        "torch.t",
        "torch.transpose",
        "torch.permute",
        "torch.narrow",
        "torch.select",
        "torch.detach",
        "torch.movedim",
        "torch.moveaxis",
        "torch.swapaxes",
        "torch.swapdims",
        "torch.split",
        "torch.chunk",
        "torch.unbind",
        "torch.as_strided",
        "torch.diagonal",
        "torch.view_as_real",
        "torch.tensor_split",
        "builtins.memoryview",
    }
)
INPLACE_FUNCTIONS = frozenset(
    {
        "numpy.copyto",
        "numpy.put",
        "numpy.place",
        "numpy.putmask",
        "numpy.fill_diagonal",
        "numpy.random.shuffle",
        "numpy.put_along_axis",
        "random.shuffle",
    }
)

Node = Any  # ast nodes


@dataclass(frozen=True)
class Fact:
    """One thing a piece of code does that a rule may care about."""

    kind: str  # "path" (a module or something in one), "attr" (an attribute of some value),
    #            "dynamic" (code the grader cannot read), "global" (a module-level name of the notebook),
    #            "undefined" (a name no cell defines)
    value: str
    how: str = "uses"  # "calls", "uses" or "subclasses"
    rebinds: bool = False  # dynamic code that can change what other code of the kernel runs
    line: int = 0


@dataclass
class _Binding:
    kind: str  # "import", "def", "value", "param", "unknown", "mutate"
    node: Node = None
    path: str = ""
    scope: _Scope | None = None  # where `node` is evaluated


@dataclass(eq=False)
class _Scope:
    kind: str  # "module", "function", "class", "lambda", "comprehension"
    node: Node
    parent: _Scope | None
    bindings: dict[str, list[_Binding]] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)
    params: list[str] = field(default_factory=list)

    def bind(self, name: str, binding: _Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


# --- reading the cells -----------------------------------------------------------------------------


def _parse(source: str) -> ast.Module | None:
    """The cell as Python, with IPython's magics turned into calls; None if the kernel could not run it."""
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    except (RecursionError, MemoryError, ValueError):
        raise _Unreadable() from None
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return None
    except (RecursionError, MemoryError, ValueError):
        raise _Unreadable() from None
    except Exception:
        return None


class _Unreadable(Exception):
    """Code the analysis cannot follow (nested too deeply, ...): refused rather than trusted."""


def _is_hidden_call(stmt: Node) -> bool:
    """`import autograder` / `autograder.grade(...)`: the hidden-test line of a restored grade cell."""
    if isinstance(stmt, ast.Import):
        return [a.name for a in stmt.names] == ["autograder"] and stmt.names[0].asname is None
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr == "grade"
        and isinstance(stmt.value.func.value, ast.Name)
        and stmt.value.func.value.id == "autograder"
    )


def _magic_call(node: Node) -> tuple[str, list[str]] | None:
    """`get_ipython().run_line_magic("time", "x = 1")` -> ("time", ["x = 1"]); None for other code."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("run_line_magic", "run_cell_magic", "magic")
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "get_ipython"
    ):
        return None
    args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
    if not args or None in args or node.keywords:
        return ("", [])
    name = args[0].lstrip("%").split(" ")[0] if node.func.attr == "magic" else args[0].lstrip("%")
    return name, args[1:]


def _magic_code(name: str, args: list[str]) -> list[Node] | None:
    """The statements a code-running magic (`%time`, `%%capture`, ...) runs, or None if unreadable."""
    text = args[-1] if args else ""
    words = text.split()
    for start in range(len(words) + 1):  # skip options such as `-n 10 -r 3`
        try:
            return ast.parse(" ".join(words[start:]) if start else text).body
        except SyntaxError:
            if (
                start < len(words)
                and not words[start].startswith("-")
                and start
                and not words[start - 1].startswith("-")
            ):
                break
    return None


def _expand_magics(body: list[Node]) -> list[Node]:
    """Top-level `%time code` / `%%capture` statements replaced by the code they run."""
    out = []
    for stmt in body:
        magic = _magic_call(stmt.value) if isinstance(stmt, ast.Expr) else None
        if magic and magic[0] in CODE_MAGICS:
            code = _magic_code(*magic)
            if code is not None:
                out.extend(_expand_magics(code))
                continue
        out.append(stmt)
    return out


# --- scopes and bindings -----------------------------------------------------------------------------


def _targets(target: Node) -> Iterator[Node]:
    """The Name, Attribute and Subscript nodes an assignment target stores into."""
    if isinstance(target, (ast.Tuple, ast.List)):
        for item in target.elts:
            yield from _targets(item)
    elif isinstance(target, ast.Starred):
        yield from _targets(target.value)
    else:
        yield target


def _root(node: Node) -> Node:
    """The Name (or other expression) an attribute/subscript chain starts from."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node


def _constant_attrs(node: Node) -> list[str] | None:
    """`a.b.c` -> ["b", "c"] (after the root); None when a subscript breaks the chain."""
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    return list(reversed(attrs)) if isinstance(node, ast.Name) else None


class _Builder(ast.NodeVisitor):
    """Builds the scopes of every cell (one module scope shared by all cells) and records what the
    code stores into attributes and subscripts."""

    def __init__(self):
        self.module = _Scope("module", None, None)
        self.scope = self.module
        self.scope_of: dict[int, _Scope] = {}  # id(Name or scope-making node) -> the scope it is in
        self.own_scope: dict[int, _Scope] = {}  # id(def/lambda/class/comprehension) -> its scope
        self.stores: list[tuple[Node, Node, _Scope]] = []  # (target, statement, scope)
        self.stars: list[str] = []
        self.statements: list[Node] = []  # every module-level statement, for notebook-wide checks

    def add_cell(self, tree: ast.Module) -> None:
        body = [stmt for stmt in _expand_magics(tree.body) if not _is_hidden_call(stmt)]
        self.statements.extend(body)
        for stmt in body:
            self.visit(stmt)

    # binding helpers
    def _home(self, name: str) -> _Scope:
        scope = self.scope
        if name in scope.declared_global:
            return self.module
        if scope.kind == "comprehension":  # only walrus targets reach here
            while scope.kind == "comprehension":
                scope = scope.parent
        return scope

    def _bind(self, name: str, binding: _Binding) -> None:
        if name in self.scope.declared_nonlocal:
            return
        home = self._home(name)
        if binding.scope is None:
            binding.scope = self.scope
        home.bind(name, binding)

    def _bind_target(self, target: Node, value: Node | None, stmt: Node, kind: str = "value") -> None:
        if (
            isinstance(target, (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts)
            and not any(isinstance(e, ast.Starred) for e in target.elts + value.elts)
        ):
            for t, v in zip(target.elts, value.elts):
                self._bind_target(t, v, stmt, kind)
            return
        for t in _targets(target):
            if isinstance(t, ast.Name):
                exact = kind == "value" and not isinstance(target, (ast.Tuple, ast.List, ast.Starred))
                self._bind(
                    t.id, _Binding("value" if exact else "unknown", value if value is not None else stmt)
                )
            else:
                self.stores.append((t, stmt, self.scope))

    # statements
    def visit_Import(self, node):
        for alias in node.names:
            if alias.asname:
                self._bind(alias.asname, _Binding("import", node, alias.name))
            else:
                top = alias.name.split(".")[0]
                self._bind(top, _Binding("import", node, top))

    def visit_ImportFrom(self, node):
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.stars.append(module)
            else:
                self._bind(alias.asname or alias.name, _Binding("import", node, f"{module}.{alias.name}"))

    def visit_Global(self, node):
        self.scope.declared_global.update(node.names)

    def visit_Nonlocal(self, node):
        self.scope.declared_nonlocal.update(node.names)

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self._bind_target(target, node.value, node)
            self._visit_target(target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self._bind_target(node.target, node.value, node)
        self.visit(node.annotation)
        self._visit_target(node.target)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        self._bind_target(node.target, node, node, kind="unknown")
        self._visit_target(node.target)

    def visit_Delete(self, node):
        for target in node.targets:
            for t in _targets(target):
                if not isinstance(t, ast.Name):
                    self.stores.append((t, node, self.scope))
            self._visit_target(target)

    def visit_For(self, node):
        self.visit(node.iter)
        self._bind_target(node.target, node.iter, node, kind="unknown")
        self._visit_target(node.target)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, item.context_expr, node, kind="unknown")
                self._visit_target(item.optional_vars)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node):
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self._bind(node.name, _Binding("unknown", node.type))
        for stmt in node.body:
            self.visit(stmt)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self._bind(node.target.id, _Binding("value", node.value))
        self.visit(node.target)

    def visit_Expr(self, node):
        call = node.value
        # setattr(obj, "name", value) stores like `obj.name = value`
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id in ("setattr", "delattr")
            and len(call.args) >= 2
        ):
            self.stores.append((call.args[0], node, self.scope))
        self.generic_visit(node)

    def visit_Match(self, node):
        self.visit(node.subject)
        for case in node.cases:
            for sub in ast.walk(case.pattern):
                for name in [getattr(sub, "name", None), getattr(sub, "rest", None)]:
                    if isinstance(name, str):
                        self._bind(name, _Binding("unknown", node.subject))
            self.generic_visit(case)

    def _visit_target(self, target):
        for t in _targets(target):
            self.visit(t)

    # scopes
    def _enter(self, kind: str, node: Node) -> _Scope:
        scope = _Scope(kind, node, self.scope)
        self.own_scope[id(node)] = scope
        return scope

    def _arguments(self, args: ast.arguments, scope: _Scope) -> None:
        positional = args.posonlyargs + args.args
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            scope.params.append(arg.arg)
            scope.bind(arg.arg, _Binding("param", default, scope=self.scope))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            scope.params.append(arg.arg)
            scope.bind(arg.arg, _Binding("param", default, scope=self.scope))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                scope.params.append(arg.arg)
                scope.bind(arg.arg, _Binding("unknown", None, scope=self.scope))
        for default in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.visit(default)
        for arg in positional + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]:
            if arg.annotation is not None:
                self.visit(arg.annotation)

    def visit_FunctionDef(self, node):
        self.scope_of[id(node)] = self.scope
        for decorator in node.decorator_list:
            self.visit(decorator)
        if node.returns is not None:
            self.visit(node.returns)
        self._bind(node.name, _Binding("def", node))
        scope = self._enter("function", node)
        self._arguments(node.args, scope)
        outer, self.scope = self.scope, scope
        for stmt in node.body:  # `global` statements come first in practice; record them all first
            if isinstance(stmt, ast.Global):
                scope.declared_global.update(stmt.names)
        for stmt in node.body:
            self.visit(stmt)
        self.scope = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.scope_of[id(node)] = self.scope
        scope = self._enter("lambda", node)
        self._arguments(node.args, scope)
        outer, self.scope = self.scope, scope
        self.visit(node.body)
        self.scope = outer

    def visit_ClassDef(self, node):
        self.scope_of[id(node)] = self.scope
        for expr in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(expr)
        self._bind(node.name, _Binding("def", node))
        scope = self._enter("class", node)
        outer, self.scope = self.scope, scope
        for stmt in node.body:
            self.visit(stmt)
        self.scope = outer

    def _comprehension(self, node, parts):
        self.scope_of[id(node)] = self.scope
        scope = self._enter("comprehension", node)
        self.visit(node.generators[0].iter)  # evaluated in the enclosing scope
        outer, self.scope = self.scope, scope
        for index, generator in enumerate(node.generators):
            if index:
                self.visit(generator.iter)
            self._bind_target(generator.target, generator.iter, node, kind="unknown")
            self._visit_target(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        for part in parts:
            self.visit(part)
        self.scope = outer

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])

    def visit_Name(self, node):
        self.scope_of[id(node)] = self.scope
        if isinstance(node.ctx, (ast.Store, ast.Del)) and node.id not in self._home(node.id).bindings:
            self._bind(node.id, _Binding("unknown", None))


# --- the analysis ---------------------------------------------------------------------------------


def _resolve_object(path: str) -> tuple[bool, Any]:
    """(True, object) for a dotted path through modules the grader has already imported (without
    importing anything or running properties); (False, None) when it cannot be followed."""
    parts = path.split(".")
    if parts[0] == "builtins" and len(parts) > 1:
        obj: Any = builtins
    elif parts[0] in sys.modules:
        obj = sys.modules[parts[0]]
    else:
        return False, None
    for part in parts[1:]:
        try:
            obj = inspect.getattr_static(obj, part)
        except AttributeError:
            if inspect.ismodule(obj) and f"{obj.__name__}.{part}" in sys.modules:
                obj = sys.modules[f"{obj.__name__}.{part}"]
            else:
                return False, None
        except Exception:
            return False, None
    return True, obj


def _canonical(path: str) -> str:
    """The path written from the deepest module it reaches (`np.testing.sys.modules` -> `sys.modules`;
    `torch.optim.Adam` -> `torch.optim.adam.Adam`)."""
    parts = path.split(".")
    best = path
    for end in range(1, len(parts) + 1):
        found, obj = _resolve_object(".".join(parts[:end]))
        if not found:
            break
        if inspect.ismodule(obj):
            best = ".".join([obj.__name__, *parts[end:]])
        elif end == len(parts) and inspect.isclass(obj) and isinstance(getattr(obj, "__module__", None), str):
            best = f"{obj.__module__}.{obj.__qualname__}"
    return best


def _is_dynamic_path(path: str) -> bool:
    parts = path.split(".")
    root = parts[0]
    if root in DYNAMIC_MODULES or any(part in DYNAMIC_ATTRIBUTES | MODULE_ATTRIBUTES for part in parts[1:]):
        return True
    if any(part.startswith("__") and part.endswith("__") and part not in SAFE_DUNDERS for part in parts):
        return True
    if root == "builtins":
        return len(parts) == 1 or parts[1] in DYNAMIC_BUILTINS or parts[1] in NAMED_ACCESS
    if root == "sys":
        return len(parts) == 1 or ".".join(parts[:2]) not in SAFE_SYS
    return any(path == p or path.startswith(p) for p in DYNAMIC_PATHS)


def _rebinds(path: str) -> bool:
    """Whether dynamic code at `path` can change what the student's kernel runs."""
    root = path.split(".")[0]
    return not (root in OTHER_PROCESS or path.startswith(("os.", "asyncio.")))


def _shown(path: str) -> str:
    return path.removeprefix("builtins.")


class Analysis:
    """The code cells of one submission, read once."""

    def __init__(self, sources: Sequence[str]):
        self.unreadable = False
        builder = _Builder()
        try:
            for source in sources:
                tree = _parse(source)
                if tree is not None:
                    builder.add_cell(tree)
        except (_Unreadable, RecursionError, MemoryError):
            self.unreadable = True
        self.b = builder
        self.module = builder.module
        self._facts_cache: dict[int, list[Fact]] = {}
        self._patches: dict[str, list[tuple[Node, _Scope]]] | None = None
        if not self.unreadable:
            try:
                self._add_stores()
            except RecursionError:
                self.unreadable = True

    # --- name resolution ---------------------------------------------------------------------

    def _defining_scope(self, name: str, scope: _Scope) -> _Scope | None:
        """The scope whose binding of `name` a load in `scope` sees (None: builtin or undefined)."""
        if name in scope.declared_global:
            return self.module if name in self.module.bindings else None
        if scope.kind != "module" and name in scope.bindings and name not in scope.declared_nonlocal:
            return scope
        current = scope.parent
        while current is not None:
            if current.kind == "module":
                break
            if current.kind != "class" and name in current.bindings:
                return current
            current = current.parent
        return self.module if name in self.module.bindings else None

    def _resolve(self, node: Node, scope: _Scope, seen: frozenset = frozenset()) -> tuple[set[str], bool]:
        """The dotted paths (modules or things in them) `node` may evaluate to, and whether it may also
        be something else."""
        if isinstance(node, ast.Name):
            key = (id(scope), node.id)
            if key in seen:
                return set(), True
            seen = seen | {key}
            home = self._defining_scope(node.id, scope)
            if home is None:
                if node.id in self.module.bindings or not hasattr(builtins, node.id):
                    return self._star_paths(node.id), True
                return {f"builtins.{node.id}"}, False
            paths, unknown = set(), False
            for binding in home.bindings[node.id]:
                if binding.kind == "import":
                    paths.add(binding.path)
                elif binding.kind in ("value", "param") and binding.node is not None:
                    p, u = self._resolve(binding.node, binding.scope or home, seen)
                    paths |= p
                    unknown |= u or binding.kind == "param"
                else:
                    unknown = True
            if home is self.module:
                paths |= self._star_paths(node.id)
            return paths, unknown
        if isinstance(node, ast.Attribute):
            paths, unknown = self._resolve(node.value, scope, seen)
            return {f"{p}.{node.attr}" for p in paths}, unknown
        if isinstance(node, ast.Call) and self._constant_getattr(node, scope):
            paths, unknown = self._resolve(node.args[0], scope, seen)
            return {f"{p}.{node.args[1].value}" for p in paths}, unknown
        return set(), True

    def _star_paths(self, name: str) -> set[str]:
        paths = set()
        for module in self.b.stars:
            found, obj = _resolve_object(module)
            if not found or not inspect.ismodule(obj) or name in vars(obj):
                paths.add(f"{module}.{name}")
        return paths

    def _is_builtin(self, node: Node, name: str) -> bool:
        scope = self.b.scope_of.get(id(node), self.module)
        return (
            isinstance(node, ast.Name)
            and node.id == name
            and self._defining_scope(name, scope) is None
            and not self._star_paths(name)
        )

    def _constant_getattr(self, node: Node, scope: _Scope | None = None) -> bool:
        return (
            isinstance(node, ast.Call)
            and self._is_builtin(node.func, "getattr")
            and len(node.args) in (2, 3)
            and not node.keywords
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        )

    # --- stores into attributes of globals and modules ------------------------------------------

    def _add_stores(self) -> None:
        """`G.x = v` / `G[k] = v` / `setattr(G, "x", v)` anywhere: another definition of the global G;
        `np.exp = f`: a patch of `numpy.exp`; `softmax.__code__ = ...`: dynamic (found by the walk)."""
        self._patches = {}
        for target, stmt, scope in self.b.stores:
            root = _root(target)
            if not isinstance(root, ast.Name):
                continue
            home = self._defining_scope(root.id, scope)
            if home is self.module:
                self.module.bind(root.id, _Binding("mutate", stmt, scope=scope))
            paths, _ = self._resolve(root, scope)
            attrs = _constant_attrs(target) if isinstance(target, ast.Attribute) else None
            if isinstance(target, ast.Name) or attrs is None:
                attrs = []
            if (
                isinstance(stmt, ast.Expr)
                and len(stmt.value.args) >= 2
                and isinstance(stmt.value.args[1], ast.Constant)
            ):  # setattr(obj, "name", value)
                attrs = attrs + [str(stmt.value.args[1].value)]
            for path in paths:
                self._patches.setdefault(".".join([path, *attrs]), []).append((stmt, scope))

    def _patches_for(self, path: str) -> list[tuple[str, Node, _Scope]]:
        out = []
        for patched, sites in (self._patches or {}).items():
            if path == patched or path.startswith(patched + ".") or patched.startswith(path + "."):
                out.extend((patched, stmt, scope) for stmt, scope in sites)
        return out

    # --- facts --------------------------------------------------------------------------------

    def facts(self, node: Node, scope: _Scope) -> list[Fact]:
        """What the code of `node` (evaluated in `scope`) does, in source order."""
        key = id(node)
        if key not in self._facts_cache:
            self._facts_cache[key] = []  # recursion guard
            facts: list[Fact] = []
            self._walk(node, scope, facts, "uses")
            self._facts_cache[key] = facts
        return self._facts_cache[key]

    def _scope_for(self, node: Node, default: _Scope) -> _Scope:
        return self.b.scope_of.get(id(node), default)

    def _walk(self, node: Node, scope: _Scope, facts: list[Fact], how: str, annotation: bool = False) -> None:
        line = getattr(node, "lineno", 0)

        def add(kind, value, how_=how, rebinds=False):
            if annotation and kind in ("path", "attr", "global", "undefined"):
                return
            facts.append(Fact(kind, value, how_, rebinds, line))

        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inner = self.b.own_scope.get(id(node), scope)
            if not isinstance(node, ast.Lambda):
                for decorator in node.decorator_list:
                    self._walk(decorator, scope, facts, "calls")
                if node.returns is not None:
                    self._walk(node.returns, scope, facts, "uses", annotation=True)
            args = node.args
            for default in args.defaults + [d for d in args.kw_defaults if d is not None]:
                self._walk(default, scope, facts, "uses")
            for arg in (
                args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
            ):
                if arg.annotation is not None:
                    self._walk(arg.annotation, scope, facts, "uses", annotation=True)
            for stmt in node.body if isinstance(node.body, list) else [node.body]:
                self._walk(stmt, inner, facts, "uses", annotation)
            return
        if isinstance(node, ast.ClassDef):
            inner = self.b.own_scope.get(id(node), scope)
            for decorator in node.decorator_list:
                self._walk(decorator, scope, facts, "calls")
            for base in node.bases:
                self._walk(base, scope, facts, "subclasses")
            for keyword in node.keywords:
                self._walk(keyword.value, scope, facts, "uses")
            for stmt in node.body:
                self._walk(stmt, inner, facts, "uses", annotation)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            inner = self.b.own_scope.get(id(node), scope)
            self._walk(node.generators[0].iter, scope, facts, "uses", annotation)
            for child in ast.iter_child_nodes(node):
                if child is not node.generators[0]:
                    self._walk(child, inner, facts, "uses", annotation)
            for child in ast.iter_child_nodes(node.generators[0]):
                if child is not node.generators[0].iter:
                    self._walk(child, inner, facts, "uses", annotation)
            return
        if isinstance(node, ast.AnnAssign):
            self._walk(node.annotation, scope, facts, "uses", annotation=True)
            for child in (node.target, node.value):
                if child is not None:
                    self._walk(child, scope, facts, "uses", annotation)
            return
        if isinstance(node, ast.Call):
            magic = _magic_call(node)
            if magic is not None:
                name, args = magic
                if name in CODE_MAGICS:
                    code = _magic_code(name, args)
                    if code is None:
                        add("dynamic", f"%{name}", "uses", True)
                    else:
                        for stmt in code:  # the code runs in the notebook's namespace
                            self._walk(stmt, scope, facts, "uses", annotation)
                    return
                if name not in HARMLESS_MAGICS:
                    add("dynamic", f"%{name}" if name else "a magic command", "uses", True)
                return
            func = node.func
            if isinstance(func, ast.Name) and func.id in NAMED_ACCESS and self._is_builtin(func, func.id):
                named = (
                    len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                    and isinstance(node.args[1].value, str)
                )
                if not named:
                    add("dynamic", func.id, "uses", True)
                elif func.id == "getattr":
                    self._chain(node, scope, facts, how, annotation)
                    for extra in node.args[2:]:
                        self._walk(extra, scope, facts, "uses", annotation)
                    return
                elif node.args[1].value.startswith("__") and node.args[1].value not in SAFE_DUNDERS:
                    add("dynamic", node.args[1].value, "uses", True)
                for arg in node.args:
                    self._walk(arg, scope, facts, "uses", annotation)
                return
            self._walk(func, scope, facts, "calls", annotation)
            for arg in node.args:
                self._walk(arg, scope, facts, "uses", annotation)
            for keyword in node.keywords:
                self._walk(keyword.value, scope, facts, "uses", annotation)
            return
        if isinstance(node, ast.Attribute):
            self._chain(node, scope, facts, how, annotation)
            return
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self._name(node, self._scope_for(node, scope), facts, how, annotation, paths=True)
            return
        for child in ast.iter_child_nodes(node):
            self._walk(child, scope, facts, "uses", annotation)

    def _chain(self, node: Node, scope: _Scope, facts: list[Fact], how: str, annotation: bool) -> None:
        """An attribute chain `a.b.c` (or `getattr(a, "b")`): the path it resolves to, or the names of
        the attributes taken from an unknown value."""
        attrs, base = [], node
        while True:
            if isinstance(base, ast.Attribute):
                attrs.append(base.attr)
                base = base.value
            elif self._constant_getattr(base):
                attrs.append(base.args[1].value)
                base = base.args[0]
            else:
                break
        attrs.reverse()
        line = getattr(node, "lineno", 0)
        for attr in attrs:
            if (
                attr.startswith("__") and attr.endswith("__") and attr not in SAFE_DUNDERS
            ) or attr in DYNAMIC_ATTRIBUTES:
                facts.append(Fact("dynamic", attr, "uses", True, line))
            elif attr in PROCESS_ATTRIBUTES:
                facts.append(Fact("dynamic", attr, "uses", False, line))
        if isinstance(base, ast.Name):
            base_scope = self._scope_for(base, scope)
            paths, unknown = self._resolve(base, base_scope)
            if not annotation:
                for path in sorted(paths):
                    facts.append(Fact("path", ".".join([path, *attrs]), how, False, line))
                if unknown or not paths:
                    for attr in attrs:
                        facts.append(Fact("attr", attr, how, False, line))
            self._name(base, base_scope, facts, "uses", annotation, paths=False)
        else:
            if not annotation:
                for attr in attrs:
                    facts.append(Fact("attr", attr, how, False, line))
            self._walk(base, scope, facts, "uses", annotation)

    def _name(
        self, node: Node, scope: _Scope, facts: list[Fact], how: str, annotation: bool, paths: bool
    ) -> None:
        name, line = node.id, getattr(node, "lineno", 0)
        home = self._defining_scope(name, scope)
        if home is None:
            stars = self._star_paths(name)
            if stars:
                if paths and not annotation:
                    facts.extend(Fact("path", p, how, False, line) for p in sorted(stars))
            elif (
                name in DYNAMIC_BUILTINS
                or hasattr(builtins, name)
                or name in IPYTHON_NAMES
                or _ipython_history(name)
            ):
                if name in DYNAMIC_BUILTINS:
                    facts.append(Fact("dynamic", name, "uses", True, line))
                elif name in NAMED_ACCESS:
                    facts.append(Fact("dynamic", name, "uses", True, line))  # used other than getattr(x, "c")
                elif hasattr(builtins, name):
                    facts.append(Fact("path", f"builtins.{name}", how, False, line))
            elif not annotation:
                facts.append(Fact("undefined", name, how, False, line))
            return
        if home is not self.module:
            if paths and not annotation:
                resolved, _ = self._resolve(node, scope)
                facts.extend(Fact("path", p, how, False, line) for p in sorted(resolved))
            return
        for binding in home.bindings[name]:
            if binding.kind == "import":
                if paths and not annotation:
                    facts.append(Fact("path", binding.path, how, False, line))
            elif binding.kind == "value" and binding.node is not None:
                resolved, unknown = self._resolve(binding.node, binding.scope or home)
                if resolved and not unknown:
                    if paths and not annotation:
                        facts.extend(Fact("path", p, how, False, line) for p in sorted(resolved))
                elif not annotation:
                    facts.append(Fact("global", name, how, False, line))
            elif not annotation:
                facts.append(Fact("global", name, how, False, line))
        if paths and not annotation:
            facts.extend(Fact("path", p, how, False, line) for p in sorted(self._star_paths(name)))

    # --- what a graded name reaches --------------------------------------------------------------

    def definitions(self, name: str) -> list[_Binding]:
        return self.module.bindings.get(name, [])

    def _is_alias(self, binding: _Binding) -> bool:
        """An import, or `F = torch.nn.functional`: a name for a module or something in one."""
        if binding.kind == "import":
            return True
        if binding.kind != "value" or binding.node is None:
            return False
        resolved, unknown = self._resolve(binding.node, binding.scope or self.module)
        return bool(resolved) and not unknown

    def binding_facts(self, name: str, binding: _Binding) -> list[Fact]:
        if binding.kind == "import":
            return [Fact("path", binding.path, "uses", False, getattr(binding.node, "lineno", 0))]
        if binding.node is None:
            return []
        scope = binding.scope or self.module
        if binding.kind == "value":
            resolved, unknown = self._resolve(binding.node, scope)
            if resolved and not unknown:
                line = getattr(binding.node, "lineno", 0)
                return [Fact("path", p, "uses", False, line) for p in sorted(resolved)]
        return self.facts(binding.node, scope)

    def reach(self, name: str) -> Iterator[tuple[Fact, tuple[str, ...]]]:
        """Every fact of `name`'s definitions and of the globals and patched module names they reach,
        breadth first, each with the chain of globals it came through."""
        return self._expand([], first=name)

    def _expand(
        self, start: list[Fact], first: str = "", stop: frozenset[str] = frozenset()
    ) -> Iterator[tuple[Fact, tuple[str, ...]]]:
        """The facts of `start` (or of the definitions of the global `first`) and of everything they
        reach through globals of the notebook (except those in `stop`) and patched module names."""
        queue: list[tuple[str, tuple[str, ...]]] = [(first, ())] if first else []
        seen_names: set[str] = ({first} if first else set()) | set(stop)
        seen_patches: set[int] = set()

        def follow(fact: Fact, via: tuple[str, ...]) -> Iterator[tuple[Fact, tuple[str, ...]]]:
            if fact.kind == "global" and fact.value not in seen_names:
                seen_names.add(fact.value)
                queue.append((fact.value, via + (fact.value,)))
            if fact.kind == "path":
                for patched, stmt, scope in self._patches_for(fact.value):
                    if id(stmt) in seen_patches:
                        continue
                    seen_patches.add(id(stmt))
                    for sub in self.facts(stmt, scope):
                        yield sub, via + (_shown(patched),)
                        yield from follow(sub, via + (_shown(patched),))

        for fact in start:
            yield fact, ()
            yield from follow(fact, ())
        while queue:
            current, via = queue.pop(0)
            for path in sorted(self._star_paths(current)):  # `from torch import *` may rebind it
                yield Fact("path", path), via
                yield from follow(Fact("path", path), via)
            for binding in self.definitions(current):
                if current != first and self._is_alias(binding):
                    continue  # a module or something in one: each use already gave its full path
                for fact in self.binding_facts(current, binding):
                    yield fact, via
                    yield from follow(fact, via)

    def notebook_dynamic(self, graded: frozenset[str] = frozenset()) -> Fact | None:
        """The first piece of code that runs when the notebook runs (top-level statements, decorators,
        class bodies, and everything they call or register) and can change what other code runs.

        Graded functions are not followed: dynamic code inside one costs that function (its own
        reach), whoever calls it.
        """
        cache = self.__dict__.setdefault("_notebook_dynamic", {})
        if graded not in cache:
            cache[graded] = self._find_notebook_dynamic(graded)
        return cache[graded]

    def _find_notebook_dynamic(self, graded: frozenset[str]) -> Fact | None:
        start: list[Fact] = []
        for stmt in self.b.statements:
            start.extend(self._executable_facts(stmt))
        for fact, _ in self._expand(start, stop=graded):
            if fact.kind == "dynamic" and fact.rebinds:
                return fact
            if fact.kind == "path":
                canonical = _canonical(fact.value)
                if (_is_dynamic_path(canonical) or _is_dynamic_path(fact.value)) and _rebinds(canonical):
                    return Fact("dynamic", _shown(fact.value), fact.how, True, fact.line)
        return None

    def _executable_facts(self, stmt: Node) -> list[Fact]:
        """The facts of what a module-level statement runs when it runs (a def runs its decorators and
        defaults, not its body; a class runs its body)."""
        scope = self.b.scope_of.get(id(stmt), self.module)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts: list[Fact] = []
            args = stmt.args
            for expr in stmt.decorator_list + args.defaults + [d for d in args.kw_defaults if d is not None]:
                facts.extend(self.facts(expr, scope))
            return facts
        if isinstance(stmt, ast.ClassDef):
            facts = []
            for expr in stmt.decorator_list + stmt.bases + [k.value for k in stmt.keywords]:
                facts.extend(self.facts(expr, scope))
            for inner in stmt.body:
                facts.extend(self._executable_facts(inner))
            return facts
        return self.facts(stmt, scope)


def _ipython_history(name: str) -> bool:
    return name.startswith("_") and (name[1:].isdigit() or (name.startswith("_i") and name[2:].isdigit()))


# --- rules ----------------------------------------------------------------------------------------


def _rule_parts(rule: Rule) -> tuple[str, tuple[str, ...]]:
    if isinstance(rule, str):
        return rule, ()
    kind, forbidden = rule
    return kind, tuple(forbidden)


@cache
def _forbidden_object(path: str) -> tuple[bool, Any]:
    return _resolve_object(path)


def _matches(path: str, forbidden: Iterable[str]) -> str | None:
    """The forbidden name `path` is, is inside, or is an alias or subclass of."""
    canonical = _canonical(path)
    found, obj = _resolve_object(path)
    for name in forbidden:
        for candidate in (path, canonical):
            if candidate == name or candidate.startswith(name + "."):
                return name
        f_found, f_obj = _forbidden_object(name)
        if not (found and f_found):
            continue
        if obj is f_obj and not isinstance(obj, (int, float, str, bool, type(None))):
            return name
        if inspect.isclass(obj) and inspect.isclass(f_obj):
            try:
                if issubclass(obj, f_obj):
                    return name
            except TypeError:
                pass
        if inspect.ismodule(f_obj):
            module = getattr(obj, "__module__", None) if not inspect.ismodule(obj) else obj.__name__
            if isinstance(module, str) and (
                module == f_obj.__name__ or module.startswith(f_obj.__name__ + ".")
            ):
                return name
    return None


def _private_torch(path: str) -> bool:
    parts = path.split(".")
    return parts[0] == "torch" and any(p.startswith("_") and not p.startswith("__") for p in parts[1:])


def _verdict(fact: Fact, rule: Rule) -> tuple[str, str] | None:
    """(what was found, why it breaks the rule), or None when the fact is fine under `rule`."""
    kind, forbidden = _rule_parts(rule)
    if fact.kind == "dynamic":
        return f"uses `{fact.value}`", "which the grader cannot check: write the computation out."
    if fact.kind == "undefined":
        return (
            f"uses `{fact.value}`",
            "which no code cell of the notebook defines where the grader "
            "can read it: define it in a code cell.",
        )
    if fact.kind == "attr":
        if kind == TORCH:
            for name in (*forbidden, *TORCH_ALWAYS_FORBIDDEN):
                if fact.value == name.rsplit(".", 1)[-1]:
                    return f"{fact.how} `.{fact.value}`", _forbidden_reason(name)
        return None
    if fact.kind != "path":
        return None
    path = fact.value
    canonical = _canonical(path)
    shown = _shown(path)
    if _is_dynamic_path(canonical) or _is_dynamic_path(path):
        return f"uses `{shown}`", "which the grader cannot check: write the computation out."
    root = canonical.split(".")[0]
    allowed = {NUMPY} if kind == NUMPY else {NUMPY, TORCH}
    if root not in allowed and root not in STDLIB and root != "builtins":
        if kind == NUMPY:
            return f"{fact.how} `{shown}`", "this question asks for numpy."
        return f"{fact.how} `{shown}`", "this question asks for PyTorch tensor operations."
    if kind == TORCH:
        hit = _matches(path, forbidden) or _matches(path, TORCH_ALWAYS_FORBIDDEN)
        if hit:
            return f"{fact.how} `{shown}`", _forbidden_reason(hit)
        if _private_torch(path):
            return (
                f"{fact.how} `{shown}`",
                "a private part of torch: this question asks for public tensor operations.",
            )
    return None


def _forbidden_reason(name: str) -> str:
    if name in TORCH_ALWAYS_FORBIDDEN:
        return "which the grader cannot check: write it with public tensor operations."
    return f"this question asks you to write it without `{name}`."


# --- what the grader asks -----------------------------------------------------------------------


def _deep(method):
    """Runs `method` with room for code as deeply nested as Python itself compiles (about 1000 levels
    of expressions; reading one level takes a few frames here)."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous, 20000))
        try:
            return method(*args, **kwargs)
        finally:
            sys.setrecursionlimit(previous)

    return wrapper


class Source:
    """The submitted code as the grader reads it; answers every question with "" when there is none."""

    def __init__(self, sources: Sequence[str] | None):
        self.sources = None if sources is None else [str(s) for s in sources]
        self._analysis: Analysis | None = None

    @property
    def known(self) -> bool:
        return self.sources is not None

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = Analysis(self.sources or [])
        return self._analysis

    @_deep
    def finding(self, name: str, rule: Rule, graded: Iterable[str] = ()) -> str:
        """Why `name` earns nothing under `rule` ("" when nothing was found), as the student reads it.

        `graded`: every graded name of the assignment; dynamic code inside one of them costs that one
        only, even where the notebook calls it at the top level.
        """
        if not self.known:
            return ""
        try:
            return self._finding(name, rule, frozenset(graded) | {name})
        except (RecursionError, MemoryError):
            return _UNREADABLE.format(name=name)

    def _finding(self, name: str, rule: Rule, graded: frozenset[str]) -> str:
        analysis = self.analysis
        if analysis.unreadable:
            return _UNREADABLE.format(name=name)
        if not analysis.definitions(name):
            return ""
        fallback = None
        for fact, via in analysis.reach(name):
            verdict = _verdict(fact, rule)
            if verdict is None:
                continue
            what, why = verdict
            through = f" (through `{via[0]}`)" if via else ""
            sentence = (
                f"`{name}` {what}{through}, {why}"
                if why.startswith("which")
                else f"`{name}` {what}{through}: {why}"
            )
            if fact.kind != "undefined":
                return sentence
            fallback = fallback or sentence
        dynamic = analysis.notebook_dynamic(graded)
        if dynamic is not None:
            return (
                f"The notebook uses `{dynamic.value}`, which can change what `{name}` runs and which "
                "the grader cannot check: write the computation out."
            )
        return fallback or ""

    @_deep
    def changes_argument(self, name: str, position: int) -> str:
        """How the function `name` modifies its argument at `position` in place ("" if it does not)."""
        if not self.known:
            return ""
        try:
            analysis = self.analysis
            if analysis.unreadable:
                return _UNREADABLE.format(name=name)
            return _Mutations(analysis).of(name, position)
        except (RecursionError, MemoryError):
            return _UNREADABLE.format(name=name)

    def unchanged(self, name: str, *positions: int) -> None:
        """Raises `StudentError` when the source shows `name` modifying one of these arguments."""
        from autograder.student import StudentError

        for position in positions:
            found = self.changes_argument(name, position)
            if found:
                raise StudentError(found)

    @_deep
    def subclass(self, name: str, base: str, methods: Sequence[str] = ()) -> str:
        """ "" when `name` is a class whose bases reach `base` and that defines `methods` itself (any
        one of them for each entry "a|b"), else what is missing."""
        if not self.known:
            return ""
        analysis = self.analysis
        classes = [
            b.node for b in analysis.definitions(name) if b.kind == "def" and isinstance(b.node, ast.ClassDef)
        ]
        if not classes or len(analysis.definitions(name)) != len(classes):
            return f"`{name}` should be one class statement, a subclass of `{base}`."
        node = classes[-1]
        if not self._reaches_base(node, base, set()):
            return f"`{name}` should be a subclass of `{base}`."
        defined = {
            stmt.name for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        for method in methods:
            if not defined & set(method.split("|")):
                return f"`{name}` should define its own `{method.split('|')[0]}` method."
        return ""

    def _reaches_base(self, node: Node, base: str, seen: set[int]) -> bool:
        analysis = self.analysis
        if id(node) in seen:
            return False
        seen.add(id(node))
        for expr in node.bases:
            paths, _ = analysis._resolve(expr, analysis.b.scope_of.get(id(node), analysis.module))
            if any(p == base or _matches(p, [base]) for p in paths):
                return True
            if isinstance(expr, ast.Name):
                for binding in analysis.definitions(expr.id):
                    if (
                        binding.kind == "def"
                        and isinstance(binding.node, ast.ClassDef)
                        and self._reaches_base(binding.node, base, seen)
                    ):
                        return True
        return False


_UNREADABLE = "The grader could not read the code of `{name}` (it is nested too deeply): write it plainly."


class _Mutations:
    """Finds in-place changes of a function's argument: on the argument, a view of it, or through a
    helper of the notebook that changes the parameter it is passed."""

    def __init__(self, analysis: Analysis):
        self.a = analysis
        self.busy: set[tuple[str, int]] = set()

    def of(self, name: str, position: int | str) -> str:
        key = (name, position)
        if key in self.busy:
            return ""
        self.busy.add(key)
        for binding in self.a.definitions(name):
            node = binding.node
            if binding.kind != "def" or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            positional = [a.arg for a in node.args.posonlyargs + node.args.args]
            if isinstance(position, int):
                if position >= len(positional):
                    continue
                param = positional[position]
            else:
                param = position
                if param not in positional + [a.arg for a in node.args.kwonlyargs]:
                    continue
            found = self._body(node.body, {param}, self.a.b.own_scope.get(id(node)))
            if found:
                what, stmt = found
                code = ast.unparse(stmt).splitlines()[0]
                code = code if len(code) <= 60 else code[:57] + "..."
                return (
                    f"`{name}` changes its argument `{param}` in place ({what}: `{code}`); "
                    "work on a copy or on new arrays."
                )
        return ""

    # straight-line alias tracking: a name is an alias while it may hold the argument or a view of it
    def _body(self, body: list[Node], aliases: set[str], scope=None) -> tuple[str, Node] | None:
        state = set(aliases)
        for stmt in body:
            found = self._stmt(stmt, state, scope)
            if found:
                return found
        return None

    def _stmt(self, stmt: Node, state: set[str], scope) -> tuple[str, Node] | None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = {a.arg for a in stmt.args.posonlyargs + stmt.args.args + stmt.args.kwonlyargs}
            return self._body(stmt.body, state - params, scope)
        if isinstance(stmt, ast.ClassDef):
            return self._body(stmt.body, state, scope)
        compound = (
            isinstance(
                stmt, (ast.If, ast.While, ast.For, ast.AsyncFor, ast.Try, ast.With, ast.AsyncWith, ast.Match)
            )
            or type(stmt).__name__ == "TryStar"
        )
        if not compound:
            found = self._mutation(stmt, state)
            if found:
                return found, stmt
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    self._assign(target, stmt.value, state)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                self._assign(stmt.target, stmt.value, state)
            for sub in _shallow_walk(stmt):
                if isinstance(sub, ast.NamedExpr):
                    self._assign(sub.target, sub.value, state)
            return None
        headers = [
            getattr(stmt, f) for f in ("test", "iter", "subject") if getattr(stmt, f, None) is not None
        ]
        headers += [item.context_expr for item in getattr(stmt, "items", [])]
        for header in headers:
            found = self._mutation(ast.Expr(value=header), state)
            if found:
                return found, stmt
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._loop_target(stmt.target, stmt.iter, state)
        for item in getattr(stmt, "items", []):
            if item.optional_vars is not None:
                self._assign(item.optional_vars, item.context_expr, state)
        blocks = [getattr(stmt, f, []) for f in ("body", "orelse", "finalbody")]
        blocks += [h.body for h in getattr(stmt, "handlers", [])] + [
            c.body for c in getattr(stmt, "cases", [])
        ]
        merged = set(state)
        for _ in range(2):  # loops: a second pass sees aliases made late in the body
            for block in blocks:
                branch = set(merged)
                for inner in block:
                    found = self._stmt(inner, branch, scope)
                    if found:
                        return found
                merged |= branch
        state |= merged
        return None

    def _loop_target(self, target: Node, iterable: Node, state: set[str]) -> None:
        """`for row in z`, `for i, row in enumerate(z)`, `for a, b in zip(z, y)`: rows of an alias are too."""
        names = [t for t in _targets(target) if isinstance(t, ast.Name)]
        for t in names:
            state.discard(t.id)
        if self._aliases(iterable, state):
            state.update(t.id for t in names)
            return
        if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name)):
            return
        kind, args = iterable.func.id, iterable.args
        if kind == "reversed" and args and self._aliases(args[0], state):
            state.update(t.id for t in names)
        elif kind == "enumerate" and args and self._aliases(args[0], state):
            if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2:
                state.update(t.id for t in _targets(target.elts[1]) if isinstance(t, ast.Name))
            else:
                state.update(t.id for t in names)
        elif kind == "zip":
            if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(args):
                for t, arg in zip(target.elts, args):
                    if self._aliases(arg, state):
                        state.update(n.id for n in _targets(t) if isinstance(n, ast.Name))
            elif any(self._aliases(arg, state) for arg in args):
                state.update(t.id for t in names)

    def _assign(self, target: Node, value: Node, state: set[str]) -> None:
        if (
            isinstance(target, (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts)
        ):
            pairs = list(zip(target.elts, value.elts))
            results = [(t, self._aliases(v, state)) for t, v in pairs]
            for t, alias in results:
                if isinstance(t, ast.Name):
                    (state.add if alias else state.discard)(t.id)
            return
        alias = self._aliases(value, state)
        for t in _targets(target):
            if isinstance(t, ast.Name):
                (state.add if alias else state.discard)(t.id)

    def _aliases(self, node: Node, state: set[str]) -> bool:
        """Whether `node` may evaluate to an alias (the argument or a view of it)."""
        if isinstance(node, ast.Name):
            return node.id in state
        if isinstance(node, ast.NamedExpr):
            return self._aliases(node.value, state)
        if isinstance(node, ast.Subscript):
            return self._aliases(node.value, state)
        if isinstance(node, ast.Attribute):
            return node.attr in VIEW_METHODS and self._aliases(node.value, state)
        if isinstance(node, ast.IfExp):
            return self._aliases(node.body, state) or self._aliases(node.orelse, state)
        if isinstance(node, ast.BoolOp):
            return any(self._aliases(v, state) for v in node.values)
        if isinstance(node, ast.Starred):
            return self._aliases(node.value, state)
        if isinstance(node, (ast.Tuple, ast.List)):
            return any(self._aliases(e, state) for e in node.elts)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "astype":  # numpy copies unless copy=False
                no_copy = any(
                    k.arg == "copy" and not (isinstance(k.value, ast.Constant) and k.value.value)
                    for k in node.keywords
                )
                return no_copy and self._aliases(func.value, state)
            if isinstance(func, ast.Attribute) and func.attr in VIEW_METHODS:
                return self._aliases(func.value, state)
            if node.args and self._aliases(node.args[0], state):
                paths = self._paths(func)
                if any(p in VIEW_FUNCTIONS for p in paths):
                    return True
                if any(p in ("numpy.array", "torch.tensor") for p in paths):
                    return any(
                        k.arg == "copy" and isinstance(k.value, ast.Constant) and k.value.value is False
                        for k in node.keywords
                    )
        return False

    def _paths(self, func: Node) -> set[str]:
        scope = self.a.b.scope_of.get(id(_root(func)), self.a.module)
        paths, _ = self.a._resolve(func, scope)
        return {_canonical(p) for p in paths} | paths

    def _changed(self, target: Node, state: set[str]) -> bool:
        """Whether storing into `target` writes into an alias."""
        if isinstance(target, (ast.Subscript, ast.Attribute)):
            return self._aliases(target.value, state)
        if isinstance(target, ast.Starred):
            return self._changed(target.value, state)
        return False

    def _mutation(self, stmt: Node, state: set[str]) -> str:
        """How the simple statement `stmt` writes into an alias ("" if it does not)."""
        if isinstance(stmt, ast.AugAssign):
            target = stmt.target
            if (isinstance(target, ast.Name) and target.id in state) or self._changed(target, state):
                return "an augmented assignment"
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                if any(self._changed(t, state) for t in _targets(target)):
                    return "an assignment into it"
        if isinstance(stmt, ast.Delete) and any(self._changed(t, state) for t in stmt.targets):
            return "a deletion from it"
        inner = set(state)
        for sub in _shallow_walk(stmt):  # rows of an alias in a comprehension are views too
            if isinstance(sub, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                for generator in sub.generators:
                    self._loop_target(generator.target, generator.iter, inner)
        for sub in _shallow_walk(stmt):
            if isinstance(sub, ast.Call):
                found = self._call(sub, inner)
                if found:
                    return found
        return ""

    def _call(self, call: Node, state: set[str]) -> str:
        func = call.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            if self._aliases(func.value, state) and (
                method in INPLACE_METHODS or (method.endswith("_") and not method.startswith("_"))
            ):
                return f"`.{method}(...)`"
            if method == "shuffle" and any(self._aliases(a, state) for a in call.args):
                return "`shuffle`"
            if method == "at" and call.args and self._aliases(call.args[0], state):
                return "`ufunc.at`"
        for keyword in call.keywords:
            if keyword.arg == "out" and self._aliases(keyword.value, state):
                return "`out=`"
        paths = self._paths(func)
        if call.args and self._aliases(call.args[0], state) and paths & INPLACE_FUNCTIONS:
            return f"`{sorted(paths & INPLACE_FUNCTIONS)[0].split('.')[-1]}`"
        for path in paths:  # positional out of a numpy ufunc: np.exp(z, z)
            found, obj = _resolve_object(path)
            nin = getattr(obj, "nin", None) if found else None
            if isinstance(nin, int) and any(self._aliases(a, state) for a in call.args[nin:]):
                return "the `out` argument of a ufunc"
        # a helper of the notebook that changes the parameter it receives
        if (
            isinstance(func, ast.Name)
            and self.a._defining_scope(func.id, self.a.b.scope_of.get(id(func), self.a.module))
            is self.a.module
        ):
            for index, arg in enumerate(call.args):
                if isinstance(arg, ast.Starred):
                    break
                if self._aliases(arg, state) and self.of(func.id, index):
                    return f"the helper `{func.id}`"
            for keyword in call.keywords:
                if keyword.arg and self._aliases(keyword.value, state) and self.of(func.id, keyword.arg):
                    return f"the helper `{func.id}`"
        return ""


def _shallow_walk(node: Node) -> Iterator[Node]:
    """Like ast.walk, without entering nested functions, lambdas or classes (handled on their own)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)


# --- per assignment -------------------------------------------------------------------------------


def rules(assignment: str) -> Mapping[str, Rule]:
    """The assignment's `RULES` (its `__init__.py`), {} when it has none."""
    try:
        module = importlib.import_module(f"autograder.{assignment}")
    except ImportError:
        return {}
    return dict(getattr(module, "RULES", {}) or {})


def tested_name(grade_id: str, names: Iterable[str]) -> str | None:
    """The graded name a grade cell tests: the longest name its grade_id starts with after `test_`
    (`test_softmax_loss` tests `softmax_loss`, not `softmax`)."""
    candidates = [name for name in names if grade_id.startswith(f"test_{name}")]
    return max(candidates, key=len) if candidates else None


def findings(assignment: str, cells: Iterable[str], source: Source) -> dict[str, str]:
    """For each grade cell, why the function it tests earns nothing ("" when nothing was found)."""
    assignment_rules = rules(assignment)
    out, by_name = {}, {}
    for cell in cells:
        name = tested_name(cell, assignment_rules)
        if name is None or not source.known:
            out[cell] = ""
            continue
        if name not in by_name:
            by_name[name] = source.finding(name, assignment_rules[name], graded=assignment_rules)
        out[cell] = by_name[name]
    return out
