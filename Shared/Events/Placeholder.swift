// Replaced by the events module.
