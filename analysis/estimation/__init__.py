"""Estimating the closed-eyes share from data a researcher could observe.

Middle room: imports engine, datasets and the leaves. Modules: ``estimates`` (the Estimate type),
one module per estimator (``ab_test``, ``engagement_ratio``, ``zero_inflated``, ``its``),
``estimators`` (one entry point per design), ``fan_counts``, ``observables`` (data generators),
``recovery`` (the simulation study), ``power``, ``jump`` (the jump of outcomes at a target).
"""
