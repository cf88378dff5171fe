//! What most tests start from: an instance with its default resources, and [`Fx`],
//! one server with one instance and what a user of it needs.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::Future;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::operation::create_user::builders::CreateUserFluentBuilder;
use aws_sdk_connect::types::{User, UserIdentityInfo, UserSummary};
use aws_sdk_connect::Client;

use crate::errors::rejected;
use crate::server::Server;

/// Creates an instance of identity management type `idm` and returns its id.
pub async fn create_instance(client: &Client, idm: &str) -> String {
    let mut req = client
        .create_instance()
        .identity_management_type(idm.into())
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true);
    if idm == "EXISTING_DIRECTORY" {
        req = req.directory_id("d-0123456789");
    } else {
        req = req.instance_alias(format!(
            "t-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        ));
    }
    req.send()
        .await
        .expect("create instance")
        .id
        .expect("instance id")
}

/// The id of the named security profile of an instance.
pub async fn security_profile_id(client: &Client, instance: &str, name: &str) -> String {
    let out = client
        .list_security_profiles()
        .instance_id(instance)
        .send()
        .await
        .expect("list security profiles");
    out.security_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some(name))
        .and_then(|p| p.id().map(str::to_string))
        .unwrap_or_else(|| panic!("security profile {name} not found"))
}

/// The id of the "Basic Routing Profile" of an instance.
pub async fn basic_routing_profile(client: &Client, instance: &str) -> String {
    let out = client
        .list_routing_profiles()
        .instance_id(instance)
        .send()
        .await
        .expect("list routing profiles");
    out.routing_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some("Basic Routing Profile"))
        .and_then(|p| p.id().map(str::to_string))
        .expect("Basic Routing Profile")
}

/// The id of the "BasicQueue" of an instance (the first page of its queues holds it).
pub async fn basic_queue(client: &Client, instance: &str) -> String {
    client
        .list_queues()
        .instance_id(instance)
        .queue_types("STANDARD".into())
        .max_results(100)
        .send()
        .await
        .expect("list queues")
        .queue_summary_list()
        .iter()
        .find(|q| q.name() == Some("BasicQueue"))
        .and_then(|q| q.id().map(str::to_string))
        .expect("BasicQueue")
}

/// The id of the "Basic Hours" of an instance.
pub async fn basic_hours(client: &Client, instance: &str) -> String {
    client
        .list_hours_of_operations()
        .instance_id(instance)
        .max_results(100)
        .send()
        .await
        .expect("list hours of operation")
        .hours_of_operation_summary_list()
        .iter()
        .find(|h| h.name() == Some("Basic Hours"))
        .and_then(|h| h.id().map(str::to_string))
        .expect("Basic Hours")
}

/// One server, one instance of identity management type `idm`, and the ids a user
/// needs: the instance's Agent security profile and its Basic Routing Profile.
pub struct Fx {
    pub server: Server,
    pub client: Client,
    pub instance: String,
    pub idm: &'static str,
    pub agent: String,
    pub rp: String,
}

impl Fx {
    /// A new server with one instance.
    pub async fn new(idm: &'static str) -> Fx {
        Fx::on(Server::start(), idm).await
    }

    /// One instance on `server`, made through its default client.
    pub async fn on(server: Server, idm: &'static str) -> Fx {
        let client = server.client();
        Fx::with_client(server, client, idm).await
    }

    /// One instance on `server`, made and then used through `client`.
    pub async fn with_client(server: Server, client: Client, idm: &'static str) -> Fx {
        let instance = create_instance(&client, idm).await;
        let agent = security_profile_id(&client, &instance, "Agent").await;
        let rp = basic_routing_profile(&client, &instance).await;
        Fx {
            server,
            client,
            instance,
            idm,
            agent,
            rp,
        }
    }

    /// A CreateUser request that the instance accepts as it is: the Agent profile, the
    /// Basic Routing Profile, Ada Lovelace's names unless the directory has them, and
    /// a password when the instance manages them.
    pub fn create(&self, username: &str) -> CreateUserFluentBuilder {
        let mut b = self
            .client
            .create_user()
            .instance_id(&self.instance)
            .username(username)
            .security_profile_ids(&self.agent)
            .routing_profile_id(&self.rp);
        if self.idm != "EXISTING_DIRECTORY" {
            b = b.identity_info(names("Ada", "Lovelace"));
        }
        if self.idm == "CONNECT_MANAGED" {
            b = b.password(PASSWORD);
        }
        b
    }

    /// Creates a user with [`Fx::create`]; its id.
    pub async fn new_user(&self, username: &str) -> String {
        self.create(username)
            .send()
            .await
            .expect("create user")
            .user_id
            .expect("user id")
    }

    pub async fn describe(&self, id: &str) -> User {
        self.client
            .describe_user()
            .instance_id(&self.instance)
            .user_id(id)
            .send()
            .await
            .expect("describe user")
            .user
            .expect("user")
    }

    /// Every user of the instance, following NextToken.
    pub async fn users(&self) -> Vec<UserSummary> {
        let mut all = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .list_users()
                .instance_id(&self.instance)
                .max_results(1000)
                .set_next_token(token)
                .send()
                .await
                .expect("list users");
            all.extend(out.user_summary_list().iter().cloned());
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                return all;
            }
        }
    }

    pub async fn usernames(&self) -> BTreeSet<String> {
        self.users()
            .await
            .iter()
            .map(|u| u.username().unwrap().to_string())
            .collect()
    }

    /// Sends a CreateUser that must fail with `code` and `status`, and checks that it
    /// created nothing. Returns the error message.
    pub async fn create_rejected(
        &self,
        req: CreateUserFluentBuilder,
        code: &str,
        status: u16,
    ) -> String {
        let before = self.users().await;
        let msg = rejected(req.send().await, code, status);
        assert_eq!(
            self.users().await,
            before,
            "a rejected CreateUser changed the instance's users"
        );
        msg
    }

    /// Runs `call` on user `id`, which must fail with `code` and `status`, and checks
    /// that the user is exactly as before (LastModifiedTime included). Returns the
    /// error message.
    pub async fn update_rejected<T: Debug, E: ProvideErrorMetadata + Debug>(
        &self,
        id: &str,
        call: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        code: &str,
        status: u16,
    ) -> String {
        let before = self.describe(id).await;
        let msg = rejected(call.await, code, status);
        assert_eq!(
            self.describe(id).await,
            before,
            "a rejected update changed the user"
        );
        msg
    }
}

/// The password [`Fx::create`] gives users of CONNECT_MANAGED instances.
pub const PASSWORD: &str = "Secret123";

/// Identity info with these names.
pub fn names(first: &str, last: &str) -> UserIdentityInfo {
    UserIdentityInfo::builder()
        .first_name(first)
        .last_name(last)
        .build()
}
