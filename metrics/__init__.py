"""Comparisons, trend tests, target status and composite scores over the warehouse.

Plain Python (never imports streamlit): every public function takes a `Frames`
(`metrics.data.load_frames(con)` or `make_frames(...)`) and plain arguments and returns a
DataFrame or a frozen result. Public API: metrics/README.md.
"""
