//! The only code that speaks SQL. OWNED BY THE SERVICE WORK.
