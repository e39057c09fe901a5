"""Vocabulary by role: which canonical values of ``categories.yaml`` play the roles the code uses.

The definitions ask ``reference.values_with_role("source", "outside_province")`` instead of
naming ``省外``; the roles live in ``roles.yaml``. Every role listed in :data:`REQUIRED_ROLES`
must be there, with values that ``categories.yaml`` knows — else a one-line reference error at
load, never a silent zero.
"""

from __future__ import annotations

from typing import Any

from helpers.errors import ReferenceDataError

#: vocabulary → the roles the kit's code relies on.
REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "source": ("outside_city", "outside_province", "foreign"),
    "status": ("signed", "started", "producing", "terminated"),
    "unit_kind": ("city_department", "county", "team"),
    "progress": ("signed",),
}


def validate_roles(
    roles: dict[str, Any], categories: dict[str, dict[str, Any]], file: str = "roles.yaml"
) -> dict[str, dict[str, tuple[str, ...]]]:
    """``roles.yaml`` checked against the vocabularies and the roles the code needs.

    >>> validate_roles({"source": {"outside_province": ["省外"]}}, {"source": {"省外": []}}, )
    Traceback (most recent call last):
    ...
    helpers.errors.ReferenceDataError: roles.yaml: 缺少 source 的角色 outside_city（本工具需要它来计算指标）
    """
    checked: dict[str, dict[str, tuple[str, ...]]] = {}
    for vocabulary, needed in REQUIRED_ROLES.items():
        entry = roles.get(vocabulary)
        if not isinstance(entry, dict):
            raise ReferenceDataError(f"{file}: 缺少 {vocabulary}（应为“角色: [规范值…]”映射）")
        known = categories.get(vocabulary) or {}
        for role in needed:
            if role not in entry:
                raise ReferenceDataError(f"{file}: 缺少 {vocabulary} 的角色 {role}（本工具需要它来计算指标）")
        values_by_role: dict[str, tuple[str, ...]] = {}
        for role, values in entry.items():
            if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
                raise ReferenceDataError(f"{file}: {vocabulary}/{role} 应为非空的取值列表，实为 {values!r}")
            unknown = [v for v in values if v not in known]
            if unknown:
                listed = "、".join(known) or "（无）"
                raise ReferenceDataError(
                    f"{file}: {vocabulary}/{role} 的取值 {'、'.join(unknown)} 不在 categories.yaml 的 {vocabulary} 中（现有：{listed}）"
                )
            values_by_role[str(role)] = tuple(values)
        checked[vocabulary] = values_by_role
    return checked
