"""Page tests: the Streamlit app through AppTest, on a seeded database."""
