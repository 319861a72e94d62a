//! Sandboxed Python-subset evaluator.
