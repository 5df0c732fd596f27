// The page: a header and one <lead-scorer> (the whole scorer is that element; see
// components/lead-scorer.mjs). Portals embed the same element with widget.mjs.
import './components/lead-scorer.mjs';
