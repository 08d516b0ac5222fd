//! Modern Leads client (skeleton: being written).
