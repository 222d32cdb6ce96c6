"""YAML loading that keeps the node tree, so every complaint about a value can name its line.

``yaml.safe_load`` throws positions away; researchers edit codebooks by hand and need to be told
*where* a field is wrong, so we compose first (nodes carry marks) and construct from the same
nodes. PyYAML also silently keeps the last of two equal keys, which hides a whole indicator
definition; the composed tree lets us report that too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    first_line: int
    line: int


@dataclass(frozen=True)
class Loaded:
    data: object
    root: Node | None
    duplicates: tuple[DuplicateKey, ...]


_STR = "tag:yaml.org,2002:str"


class _TextKeyLoader(yaml.SafeLoader):
    """Mapping keys stay text: ``yes:`` or ``1:`` must become the unknown field 'yes', not True.

    JSON Schema (and so our checks) only knows text keys; a bool key would crash the validator.
    """

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[object, object]:
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)
            node.value = [
                (_as_text(key), value) if isinstance(key, ScalarNode) else (key, value)
                for key, value in node.value
            ]
        return super().construct_mapping(node, deep=deep)


def _as_text(key: ScalarNode) -> ScalarNode:
    if key.tag == _STR:
        return key
    return ScalarNode(_STR, key.value, key.start_mark, key.end_mark, key.style)


def load_with_nodes(text: str) -> Loaded:
    """Parse one YAML document; raises ``yaml.YAMLError`` (with a mark) on bad syntax."""
    loader = _TextKeyLoader(text)
    try:
        root = loader.get_single_node()
        # Before construction: merging ``<<`` keys rewrites mapping nodes in place, and an
        # explicit key overriding a merged one is legitimate, not a duplicate.
        duplicates = tuple(_duplicate_keys(root)) if root is not None else ()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return Loaded(data=data, root=root, duplicates=duplicates)


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def locate(root: Node | None, path: Sequence[str | int]) -> int:
    """1-based line of the value at ``path``; falls back to the deepest node that exists.

    A mapping step resolves to the line of its *key*: for a block value (a list under
    ``typical_phrases:``) the key is where the researcher looks, not the first item.
    """
    if root is None:
        return 1
    node: Node = root
    line = line_of(root)
    for step in path:
        if isinstance(node, MappingNode):
            found = _value_for_key(node, str(step))
            if found is None:
                return line
            key, node = found
            line = line_of(key)
        elif isinstance(node, SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                return line
            node = node.value[step]
            line = line_of(node)
        else:
            return line
    return line


def _value_for_key(node: MappingNode, key: str) -> tuple[Node, Node] | None:
    # The last occurrence wins, as it does when PyYAML constructs the mapping.
    for key_node, value_node in reversed(node.value):
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _duplicate_keys(root: Node) -> Iterator[DuplicateKey]:
    seen_nodes: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # aliases point at a node already visited
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value != "<<":
                    if key_node.value in first:
                        yield DuplicateKey(key_node.value, first[key_node.value], line_of(key_node))
                    else:
                        first[key_node.value] = line_of(key_node)
                stack.append(value_node)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
