"""Events: group articles about the same story across outlets and languages."""
