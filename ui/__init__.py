"""The analyst's Streamlit app. Thin: pages parse input and call `kb`; caching lives here only."""
