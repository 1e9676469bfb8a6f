"""``_generated/waiters.py``: the model's waiters as data, and the typed waiter properties.

Each waiter of waiters-2.json becomes a ``WaiterSpec`` constant (its delay, attempts and
acceptors as the model states them), and a property of ``WaiterMethods``
(``AsyncWaiterMethods``) returning a ``Waiter[<Operation>Request, <Operation>Result]``; the
runtime's waiter handle mixes that class in and supplies ``_waiter``.
"""

from __future__ import annotations

from typing import Any

from codegen.docstrings import HEADER
from codegen.loader import Model, snake_case


def spec_constant(waiter_name: str) -> str:
    """The constant holding a waiter's spec: ``ImageScanComplete`` -> ``IMAGE_SCAN_COMPLETE``."""
    return snake_case(waiter_name).upper()


def waiters_source(model: Model) -> str:
    out = [HEADER]
    out.append(
        '"""The model\'s waiters, as data, and the typed handles that run them."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING, Any\n\n"
        "from ecrclient._core.waiting import Acceptor, WaiterSpec\n\n"
        "if TYPE_CHECKING:\n"
        "    from ecrclient._runtime.waiting import AsyncWaiter, Waiter\n"
        "    from ecrclient.model import (\n"
    )
    ops = sorted({w["operation"] for w in model.waiters.values()})
    for op_name in ops:
        out.append(f"        {op_name}Request,\n        {op_name}Result,\n")
    out.append("    )\n\n")
    for name, waiter in model.waiters.items():
        out.append(waiter_spec_source(name, waiter))
    for flavor, cls in (("", "Waiter"), ("Async", "AsyncWaiter")):
        out.append(f"\n\nclass {flavor}WaiterMethods:\n")
        out.append(
            '    """The waiters of the client (``client.waiters``, or the Java spelling '
            "``client.waiters()``).\n\n"
            '    A mixin: the runtime\'s waiter handle provides ``_waiter``."""\n'
        )
        out.append(
            "\n    if TYPE_CHECKING:\n\n"
            "        def _waiter(self, spec: WaiterSpec, method: str) -> Any: ...\n"
        )
        for name, waiter in model.waiters.items():
            op_name = waiter["operation"]
            out.append("\n    @property\n")
            out.append(
                f"    def {snake_case(name)}(self) -> {cls}[{op_name}Request, {op_name}Result]:\n"
            )
            out.append(
                f'        """Wait with `{op_name}` until {name} (every {waiter["delay"]} s, '
                f'at most {waiter["maxAttempts"]} attempts by default)."""\n'
            )
            out.append(
                f"        waiter: {cls}[{op_name}Request, {op_name}Result] = self._waiter(\n"
                f'            {spec_constant(name)}, "{snake_case(op_name)}"\n'
                "        )\n"
                "        return waiter\n"
            )
    constants = [spec_constant(n) for n in model.waiters]
    out.append(f"\n\nWAITERS = {{{', '.join(f'{c}.name: {c}' for c in constants)}}}\n")
    out.append('"""Every waiter spec, by model name."""\n')
    return "".join(out)


def waiter_spec_source(name: str, waiter: dict[str, Any]) -> str:
    out = [f"\n{spec_constant(name)} = WaiterSpec(\n"]
    out.append(f'    name="{name}",\n    operation="{waiter["operation"]}",\n')
    out.append(f"    delay={waiter['delay']!r},\n    max_attempts={waiter['maxAttempts']!r},\n")
    out.append("    acceptors=(\n")
    for acceptor in waiter["acceptors"]:
        out.append(
            f"        Acceptor(state={acceptor['state']!r}, matcher={acceptor['matcher']!r}, "
            f"expected={acceptor['expected']!r}, argument={acceptor.get('argument')!r}),\n"
        )
    out.append("    ),\n)\n")
    desc = waiter.get("description") or f"Polls {waiter['operation']}."
    out.append(f'"""{desc}"""\n')
    return "".join(out)
