"""The data contract as data: tables, columns, keys, references and value types."""

from zonewatch.contract.schema import Column, Contract, Reference, Table, load_contract

__all__ = ["Column", "Contract", "Reference", "Table", "load_contract"]
