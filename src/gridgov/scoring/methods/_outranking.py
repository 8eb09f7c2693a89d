"""Graph helpers of the outranking methods (internal): strongly connected components, kernel."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BoolMatrix = npt.NDArray[np.bool_]


def components(relation: BoolMatrix) -> npt.NDArray[np.intp]:
    """Label the strongly connected components of a directed graph (Tarjan, iterative)."""
    m = relation.shape[0]
    successors = [np.flatnonzero(relation[i]).tolist() for i in range(m)]
    index = [-1] * m
    low = [0] * m
    on_stack = [False] * m
    stack: list[int] = []
    label = np.full(m, -1, dtype=np.intp)
    counter = 0
    count = 0
    for root in range(m):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            advanced = False
            for k in range(position, len(successors[node])):
                nxt = successors[node][k]
                if index[nxt] == -1:
                    work.append((node, k + 1))
                    work.append((nxt, 0))
                    advanced = True
                    break
                if on_stack[nxt]:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    label[member] = count
                    if member == node:
                        break
                count += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return label


def kernel(relation: BoolMatrix) -> BoolMatrix:
    """Kernel of an outranking relation, cycles merged into one node first (Roy 1968).

    In the acyclic condensed graph the kernel is unique: repeatedly take the nodes no
    remaining node outranks, and drop what they outrank.
    """
    m = relation.shape[0]
    label = components(relation)
    count = int(label.max()) + 1 if m else 0
    condensed = np.zeros((count, count), dtype=bool)
    src, dst = np.nonzero(relation)
    condensed[label[src], label[dst]] = True
    np.fill_diagonal(condensed, False)
    remaining = np.ones(count, dtype=bool)
    chosen = np.zeros(count, dtype=bool)
    while remaining.any():
        free = remaining & ~condensed[remaining].any(axis=0)
        chosen |= free
        remaining &= ~free
        remaining &= ~condensed[free].any(axis=0)
    result: BoolMatrix = chosen[label]
    return result
