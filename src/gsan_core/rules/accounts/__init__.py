"""The accounts area's rules: customers, UC0067 open debts, UC0216 surcharges,
the debt statement and the no-debt certificates. Pure functions."""
