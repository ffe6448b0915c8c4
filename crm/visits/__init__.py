"""走访/洽谈记录: the visits a unit makes (or receives), with whom, and what came of them."""
