"""Every sentence a user reads, in Simplified Chinese, kept in this one package.

`validation` holds the parsers' error messages, `chat` the applicant's
conversation, `review` the reviewers' side. Nothing else in the project
spells out user-facing Chinese.
"""
