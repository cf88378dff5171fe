//! The users row, shared by the stores: both keep one row per user with a column per
//! setting, read in the order of [`USER_COLUMNS`]. A store reads its row through
//! [`Columns`] and [`user_from_columns`] turns it into a [`User`], so the checks of
//! stored values and the mapping of columns to settings live in one place.

use roster_domain::channel::{
    AcwSeconds, ChannelSettings, PhoneType, UserConfig, VoiceEnhancementMode,
};
use roster_domain::time::Modified;
use roster_domain::user::{IdentityInfo, User, Username};
use roster_domain::Timestamp;

use crate::sql::corrupt;
use crate::StoreError;

/// The users table's columns in the order [`user_from_columns`] reads them.
pub const USER_COLUMNS: [&str; 27] = [
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "secondary_email",
    "mobile",
    "directory_user_id",
    "password_hash",
    "routing_profile_id",
    "hierarchy_group_id",
    "voice_auto_accept",
    "voice_acw",
    "voice_afc_auto_accept",
    "voice_afc_acw",
    "chat_auto_accept",
    "chat_acw",
    "task_auto_accept",
    "task_acw",
    "email_auto_accept",
    "email_acw",
    "phone_type",
    "desk_phone_number",
    "persistent_connection",
    "voice_enhancement",
    "modified_ms",
    "modified_region",
];

/// A row's values by position, as a store reads them.
pub trait Columns {
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError>;
    fn flag(&self, i: usize) -> Result<bool, StoreError>;
    fn opt_flag(&self, i: usize) -> Result<Option<bool>, StoreError>;
}

/// Implements [`Columns`] for a row adapter whose inherent
/// `fn get<T>(&self, i: usize) -> Result<T, StoreError>` reads any of the column types.
#[macro_export]
macro_rules! columns_by_get {
    ($adapter:ty) => {
        impl $crate::columns::Columns for $adapter {
            fn text(&self, i: usize) -> Result<String, $crate::StoreError> {
                self.get(i)
            }
            fn opt_text(&self, i: usize) -> Result<Option<String>, $crate::StoreError> {
                self.get(i)
            }
            fn int(&self, i: usize) -> Result<i64, $crate::StoreError> {
                self.get(i)
            }
            fn opt_int(&self, i: usize) -> Result<Option<i64>, $crate::StoreError> {
                self.get(i)
            }
            fn flag(&self, i: usize) -> Result<bool, $crate::StoreError> {
                self.get(i)
            }
            fn opt_flag(&self, i: usize) -> Result<Option<bool>, $crate::StoreError> {
                self.get(i)
            }
        }
    };
}

fn acw(column: &str, v: i64) -> Result<AcwSeconds, StoreError> {
    AcwSeconds::parse(column, v).map_err(|_| corrupt(format!("{column} = {v}")))
}

/// The user in a row of [`USER_COLUMNS`]; its security profiles and tags, kept in
/// other tables, are left empty for the store to fill.
pub fn user_from_columns(row: &impl Columns) -> Result<User, StoreError> {
    let plain = |auto: usize, acw_col: usize| -> Result<(bool, AcwSeconds), StoreError> {
        Ok((
            row.flag(auto)?,
            acw(USER_COLUMNS[acw_col], row.int(acw_col)?)?,
        ))
    };
    let voice = ChannelSettings {
        auto_accept: row.flag(11)?,
        after_contact_work: acw(USER_COLUMNS[12], row.int(12)?)?,
        agent_first_callback_auto_accept: row.opt_flag(13)?,
        agent_first_callback_after_contact_work: row
            .opt_int(14)?
            .map(|v| acw(USER_COLUMNS[14], v))
            .transpose()?,
    };
    let phone_type = row.text(21)?;
    let voice_enhancement = row.text(24)?;
    let config = UserConfig::from_stored(
        voice,
        [plain(15, 16)?, plain(17, 18)?, plain(19, 20)?],
        PhoneType::parse("phone_type", &phone_type)
            .map_err(|_| corrupt(format!("phone type {phone_type:?}")))?,
        row.opt_text(22)?,
        row.flag(23)?,
        VoiceEnhancementMode::parse("voice_enhancement", &voice_enhancement)
            .map_err(|_| corrupt(format!("voice enhancement {voice_enhancement:?}")))?,
    );
    Ok(User {
        id: row.text(0)?,
        username: Username::from_stored(row.text(1)?),
        identity: IdentityInfo {
            first_name: row.opt_text(2)?,
            last_name: row.opt_text(3)?,
            email: row.opt_text(4)?,
            secondary_email: row.opt_text(5)?,
            mobile: row.opt_text(6)?,
        },
        directory_user_id: row.opt_text(7)?,
        password_hash: row.opt_text(8)?,
        security_profile_ids: Default::default(),
        routing_profile_id: row.text(9)?,
        hierarchy_group_id: row.opt_text(10)?,
        config,
        tags: Default::default(),
        modified: Modified {
            time: Timestamp(row.int(25)?),
            region: row.text(26)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_domain::channel::Channel;

    /// A row of text, integers and flags by position; `None` is NULL.
    struct Row(Vec<Option<Value>>);

    #[derive(Clone)]
    enum Value {
        Text(&'static str),
        Int(i64),
    }

    impl Row {
        fn get(&self, i: usize) -> Option<Value> {
            self.0[i].clone()
        }
    }

    impl Columns for Row {
        fn text(&self, i: usize) -> Result<String, StoreError> {
            self.opt_text(i)?.ok_or_else(|| corrupt("NULL"))
        }
        fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
            match self.get(i) {
                None => Ok(None),
                Some(Value::Text(s)) => Ok(Some(s.to_string())),
                Some(Value::Int(_)) => Err(corrupt("an integer")),
            }
        }
        fn int(&self, i: usize) -> Result<i64, StoreError> {
            self.opt_int(i)?.ok_or_else(|| corrupt("NULL"))
        }
        fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
            match self.get(i) {
                None => Ok(None),
                Some(Value::Int(v)) => Ok(Some(v)),
                Some(Value::Text(_)) => Err(corrupt("text")),
            }
        }
        fn flag(&self, i: usize) -> Result<bool, StoreError> {
            Ok(self.int(i)? != 0)
        }
        fn opt_flag(&self, i: usize) -> Result<Option<bool>, StoreError> {
            Ok(self.opt_int(i)?.map(|v| v != 0))
        }
    }

    fn row() -> Row {
        use Value::*;
        Row(vec![
            Some(Text("u1")),
            Some(Text("Ann")),
            Some(Text("Ann")),
            None,
            None,
            None,
            None,
            None,
            None,
            Some(Text("rp")),
            None,
            Some(Int(1)),
            Some(Int(30)),
            None,
            Some(Int(5)),
            Some(Int(0)),
            Some(Int(0)),
            Some(Int(0)),
            Some(Int(60)),
            Some(Int(0)),
            Some(Int(0)),
            Some(Text("SOFT_PHONE")),
            None,
            Some(Int(0)),
            Some(Text("NONE")),
            Some(Int(1_700_000_000_000)),
            Some(Text("us-east-1")),
        ])
    }

    #[test]
    fn columns_map_to_settings() {
        let user = user_from_columns(&row()).unwrap();
        assert_eq!(user.id, "u1");
        assert_eq!(user.username.as_str(), "Ann");
        assert_eq!(user.routing_profile_id, "rp");
        let voice = user.config.channel(Channel::Voice);
        assert!(voice.auto_accept);
        assert_eq!(
            voice.after_contact_work,
            AcwSeconds::parse("x", 30).unwrap()
        );
        assert_eq!(
            voice.agent_first_callback_after_contact_work,
            Some(AcwSeconds::parse("x", 5).unwrap())
        );
        assert_eq!(
            user.config.channel(Channel::Task).after_contact_work,
            AcwSeconds::parse("x", 60).unwrap()
        );
        assert_eq!(user.modified.region, "us-east-1");
    }

    #[test]
    fn a_value_roster_never_writes_is_reported() {
        let mut bad = row();
        bad.0[21] = Some(Value::Text("CARRIER_PIGEON"));
        let err = user_from_columns(&bad).unwrap_err();
        assert!(err.to_string().contains("phone type"), "{err}");
        let mut bad = row();
        bad.0[12] = Some(Value::Int(-1));
        let err = user_from_columns(&bad).unwrap_err();
        assert!(err.to_string().contains("voice_acw = -1"), "{err}");
    }
}
