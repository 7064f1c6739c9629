"""The one configuration every model a user writes shares: strict, frozen, finite."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class UserModel(BaseModel):
    """What a user writes in YAML: unknown keys are errors, values never change once read,
    and NaN or infinity is never a number anyone meant."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
