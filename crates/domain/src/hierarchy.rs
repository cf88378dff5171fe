//! The user hierarchy: up to five named levels and groups placed in them.

use crate::tags::Tags;
use crate::time::Modified;
use crate::DomainError;

pub const MAX_LEVELS: usize = 5;

/// One level of the structure. Its id is its number, "1" (top) to "5".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HierarchyLevel {
    pub id: String,
    pub name: String,
    pub modified: Modified,
}

/// The levels in use, top first; level `n` is `levels[n - 1]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HierarchyStructure {
    pub levels: Vec<HierarchyLevel>,
}

impl HierarchyStructure {
    /// Builds a structure from the five optional level names of
    /// UpdateUserHierarchyStructure. Levels must be contiguous from the top.
    pub fn from_names(
        names: [Option<String>; MAX_LEVELS],
        modified: &Modified,
    ) -> Result<Self, DomainError> {
        const MEMBERS: [&str; MAX_LEVELS] = [
            "LevelOne",
            "LevelTwo",
            "LevelThree",
            "LevelFour",
            "LevelFive",
        ];
        let mut levels = Vec::new();
        let mut gap: Option<usize> = None;
        for (i, name) in names.into_iter().enumerate() {
            match name {
                Some(n) => {
                    if let Some(g) = gap {
                        return Err(DomainError::request(
                            format!("HierarchyStructure.{}", MEMBERS[i]),
                            format!("cannot be set while {} is not", MEMBERS[g]),
                        ));
                    }
                    let len = n.chars().count();
                    if !(1..=50).contains(&len) {
                        return Err(DomainError::param(
                            format!("HierarchyStructure.{}.Name", MEMBERS[i]),
                            "must be 1-50 characters",
                        ));
                    }
                    levels.push(HierarchyLevel {
                        id: (i + 1).to_string(),
                        name: n,
                        modified: modified.clone(),
                    });
                }
                None => {
                    gap.get_or_insert(i);
                }
            }
        }
        Ok(HierarchyStructure { levels })
    }

    pub fn level(&self, n: usize) -> Option<&HierarchyLevel> {
        n.checked_sub(1).and_then(|i| self.levels.get(i))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HierarchyGroup {
    pub id: String,
    pub name: String,
    /// 1 (top) to 5.
    pub level: usize,
    /// Ids from the top-level ancestor down to and including this group.
    pub path: Vec<String>,
    pub tags: Tags,
    pub modified: Modified,
}

impl HierarchyGroup {
    pub fn parent_id(&self) -> Option<&str> {
        self.path
            .len()
            .checked_sub(2)
            .map(|i| self.path[i].as_str())
    }
}

/// A group name: 1–100 characters.
pub fn validate_group_name(field: &str, name: &str) -> Result<(), DomainError> {
    let n = name.chars().count();
    if !(1..=100).contains(&n) {
        return Err(DomainError::param(field, "must be 1-100 characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    fn m() -> Modified {
        Modified {
            time: Timestamp(0),
            region: "us-east-1".into(),
        }
    }

    #[test]
    fn levels_are_contiguous() {
        let s = HierarchyStructure::from_names(
            [Some("A".into()), Some("B".into()), None, None, None],
            &m(),
        )
        .unwrap();
        assert_eq!(s.levels.len(), 2);
        assert_eq!(s.level(2).unwrap().id, "2");
        assert!(s.level(3).is_none());
        let gap = HierarchyStructure::from_names(
            [Some("A".into()), None, Some("C".into()), None, None],
            &m(),
        );
        assert!(matches!(gap, Err(DomainError::InvalidRequest { .. })));
        let empty = HierarchyStructure::from_names([None, None, None, None, None], &m()).unwrap();
        assert!(empty.levels.is_empty());
    }
}
