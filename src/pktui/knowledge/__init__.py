"""Knowledge layer: merge per-article extraction into entities, facts, timeline and series."""
