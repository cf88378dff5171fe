//! Calls at the same time: one username created at once, edits of one user at once.

use roster_domain::channel::Channel;
use roster_domain::user::User;

use crate::{Store, StoreError, StoreResult, UserEdit};

use super::fixtures::{acw, join_all, page, plain_user, set_channel, setup, BoxFuture};

/// Of 20 simultaneous creates of one username in different cases, exactly one wins.
pub async fn concurrent_same_username(store: &dyn Store) {
    let fx = setup(store).await;
    let base = "agentsmith";
    let names: Vec<String> = (0..20u32)
        .map(|n| {
            base.chars()
                .enumerate()
                .map(|(i, c)| {
                    if (n >> (i % 10)) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect();
    let futures: Vec<BoxFuture<'_, StoreResult<()>>> = names
        .iter()
        .map(|n| {
            let u = plain_user(&fx, n);
            let at = fx.at.clone();
            Box::pin(async move { store.create_user(&at, u, 1000).await }) as BoxFuture<'_, _>
        })
        .collect();
    let results = join_all(futures).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let dup = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Duplicate { .. })))
        .count();
    assert_eq!((ok, dup), (1, 19), "{results:?}");
    assert_eq!(
        store
            .list_users(&fx.at, &page(None, 100))
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Simultaneous edits of different settings of one user all survive.
pub async fn concurrent_channel_edits(store: &dyn Store) {
    let fx = setup(store).await;
    let user = plain_user(&fx, "busy");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    let futures: Vec<BoxFuture<'_, StoreResult<User>>> = Channel::ALL
        .into_iter()
        .enumerate()
        .map(|(i, channel)| {
            let at = fx.at.clone();
            let id = user.id.clone();
            let edit: UserEdit = Box::new(move |u: &mut User| {
                set_channel(&mut u.config, channel, true, acw(100 + i as i64));
                Ok(())
            });
            Box::pin(async move { store.update_user(&at, &id, edit).await }) as BoxFuture<'_, _>
        })
        .collect();
    for r in join_all(futures).await {
        r.unwrap();
    }
    let stored = store.get_user(&fx.at, &user.id).await.unwrap();
    for (i, channel) in Channel::ALL.into_iter().enumerate() {
        let s = stored.config.channel(channel);
        assert_eq!(
            s.after_contact_work,
            acw(100 + i as i64),
            "{}",
            channel.as_str()
        );
        assert!(s.auto_accept, "{}", channel.as_str());
    }
}
