//! What most tests start from: an instance with its default resources.

use aws_sdk_connect::Client;

/// Creates a CONNECT_MANAGED instance and returns its id.
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
