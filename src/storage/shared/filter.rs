//! WHERE clauses built from optional filters (the queue's and the audit log's), the same for
//! both backends. Each condition is written with `?` for its values and keeps them beside it;
//! each backend turns the values into its own parameters (and PostgreSQL the `?` into `$n`).

/// A value a condition compares with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    Real(f64),
}

#[derive(Default)]
pub(crate) struct Filter {
    pub(crate) clauses: Vec<String>,
    pub(crate) values: Vec<Arg>,
}

impl Filter {
    pub(crate) fn and<const N: usize>(&mut self, clause: impl Into<String>, values: [Arg; N]) {
        self.clauses.push(clause.into());
        self.values.extend(values);
    }

    /// The conditions joined with AND; `always` (the backend's spelling of true) when there
    /// are none.
    pub(crate) fn conditions(&self, always: &str) -> String {
        if self.clauses.is_empty() {
            always.to_string()
        } else {
            self.clauses.join(" AND ")
        }
    }
}
