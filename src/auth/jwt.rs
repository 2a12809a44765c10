//! Access tokens: HS256 JWTs with `sub`, `role`, `sid` (the sign-in session), `exp`, `iat`, `jti`.
//! Only HS256 is accepted, so `alg: none` and every other algorithm fail to decode.

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ACCESS_TOKEN_TTL_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: Uuid,
    pub role: String,
    pub sid: Uuid,
    pub exp: i64,
    pub iat: i64,
    pub jti: Uuid,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        Self { encoding: EncodingKey::from_secret(bytes), decoding: DecodingKey::from_secret(bytes) }
    }

    pub fn issue(&self, user_id: Uuid, role: &str, session_id: Uuid) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            role: role.to_string(),
            sid: session_id,
            iat: now,
            exp: now + ACCESS_TOKEN_TTL_SECS,
            jti: Uuid::new_v4(),
        };
        self.encode(&claims)
    }

    pub fn encode(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(encode(&Header::new(Algorithm::HS256), claims, &self.encoding)?)
    }

    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        decode::<Claims>(token, &self.decoding, &validation).ok().map(|data| data.claims)
    }
}
