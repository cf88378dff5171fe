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

/// A group of the hierarchy. Its level and path are made by its constructors only: a
/// top-level group is at level 1 with a path of itself; a child is one level below its
/// parent (at most [`MAX_LEVELS`]) with the parent's path and then itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HierarchyGroup {
    pub id: String,
    pub name: String,
    /// 1 (top) to 5.
    level: usize,
    /// Ids from the top-level ancestor down to and including this group.
    path: Vec<String>,
    pub tags: Tags,
    pub modified: Modified,
}

/// A group id must be non-empty and free of `/`, which separates the ids of a path.
fn check_id(id: &str) -> Result<(), DomainError> {
    if id.is_empty() || id.contains('/') {
        return Err(DomainError::param(
            "HierarchyGroupId",
            "must be non-empty and must not contain '/'",
        ));
    }
    Ok(())
}

impl HierarchyGroup {
    /// A group at the top level.
    pub fn top(
        id: String,
        name: String,
        tags: Tags,
        modified: Modified,
    ) -> Result<Self, DomainError> {
        check_id(&id)?;
        Ok(HierarchyGroup {
            path: vec![id.clone()],
            id,
            name,
            level: 1,
            tags,
            modified,
        })
    }

    /// A group one level below `parent`.
    pub fn child_of(
        parent: &HierarchyGroup,
        id: String,
        name: String,
        tags: Tags,
        modified: Modified,
    ) -> Result<Self, DomainError> {
        check_id(&id)?;
        if parent.level >= MAX_LEVELS {
            return Err(DomainError::request(
                "ParentGroupId",
                format!(
                    "group {} is at level {}, the lowest; it cannot have child groups",
                    parent.id, parent.level
                ),
            ));
        }
        let mut path = parent.path.clone();
        path.push(id.clone());
        Ok(HierarchyGroup {
            id,
            name,
            level: parent.level + 1,
            path,
            tags,
            modified,
        })
    }

    /// A group as a store kept it: the path from the top down to the group. `None` when
    /// the path is not one a constructor makes (the store is corrupt).
    pub fn from_stored(
        id: String,
        name: String,
        path: Vec<String>,
        tags: Tags,
        modified: Modified,
    ) -> Option<Self> {
        let well_formed = path.last() == Some(&id)
            && (1..=MAX_LEVELS).contains(&path.len())
            && path.iter().all(|p| check_id(p).is_ok());
        well_formed.then_some(HierarchyGroup {
            id,
            name,
            level: path.len(),
            path,
            tags,
            modified,
        })
    }

    /// 1 (top) to 5.
    pub fn level(&self) -> usize {
        self.level
    }

    /// Ids from the top-level ancestor down to and including this group.
    pub fn path(&self) -> &[String] {
        &self.path
    }

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

    #[test]
    fn groups_take_their_level_and_path_from_their_parent() {
        let top = HierarchyGroup::top("a".into(), "A".into(), Tags::new(), m()).unwrap();
        assert_eq!((top.level(), top.path()), (1, &["a".to_string()][..]));
        assert_eq!(top.parent_id(), None);
        let mut parent = top;
        for (n, id) in ["b", "c", "d", "e"].iter().enumerate() {
            let child =
                HierarchyGroup::child_of(&parent, id.to_string(), "x".into(), Tags::new(), m())
                    .unwrap();
            assert_eq!(child.level(), n + 2);
            assert_eq!(child.parent_id(), Some(parent.id.as_str()));
            assert_eq!(child.path().last().map(String::as_str), Some(*id));
            parent = child;
        }
        let too_deep = HierarchyGroup::child_of(&parent, "f".into(), "x".into(), Tags::new(), m());
        assert!(matches!(too_deep, Err(DomainError::InvalidRequest { .. })));
        assert!(HierarchyGroup::top("".into(), "A".into(), Tags::new(), m()).is_err());
        assert!(HierarchyGroup::top("a/b".into(), "A".into(), Tags::new(), m()).is_err());
    }

    #[test]
    fn stored_groups_must_have_a_path_a_constructor_makes() {
        let ok = |path: &[&str]| {
            let id = path.last().map(|s| s.to_string()).unwrap_or_default();
            let path = path.iter().map(|s| s.to_string()).collect();
            HierarchyGroup::from_stored(id, "n".into(), path, Tags::new(), m()).map(|g| g.level())
        };
        assert_eq!(ok(&["a", "b"]), Some(2));
        assert_eq!(ok(&[]), None);
        assert_eq!(ok(&["a", "b", "c", "d", "e", "f"]), None);
        let wrong_end =
            HierarchyGroup::from_stored("z".into(), "n".into(), vec!["a".into()], Tags::new(), m());
        assert!(wrong_end.is_none());
    }
}
