"""The course catalogue: structured courses from provider feeds and pages, searchable by place and filters."""
