//! Whole public answers kept against the index's generations: the taxonomy and the spotlight
//! change only with the vocabularies or the library, so each is rendered once (body and `ETag`)
//! per generation of what it depends on and served from memory until a change reaches this
//! instance. Here, beside the generations, so that any feature can keep an answer.

use std::collections::HashMap;
use std::sync::RwLock;

use diesel_async::AsyncPgConnection;

use super::LibraryIndex;
use crate::error::ApiResult;
use crate::extract::conditional::Rendered;

/// What a kept answer depends on: any change to the library, or to its vocabularies only (their
/// values, headings and introductions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depends {
    Library,
    Vocabularies,
}

/// The kept answers by name, each with the generation it was rendered at.
#[derive(Default)]
pub struct Kept(RwLock<HashMap<&'static str, (u64, Rendered)>>);

impl LibraryIndex {
    /// The answer `name`, kept from an earlier request while nothing it `depends` on changed since;
    /// else made by `render` on a connection (and kept while the index is in step). The generation
    /// is read before `render` reads anything, so a change committed meanwhile moves it past the
    /// kept copy.
    pub async fn kept(
        &self,
        name: &'static str,
        depends: Depends,
        render: impl AsyncFnOnce(&mut AsyncPgConnection) -> ApiResult<Rendered>,
    ) -> ApiResult<Rendered> {
        let generation = match depends {
            Depends::Library => self.generation(),
            Depends::Vocabularies => self.vocabulary_generation(),
        };
        if let Some(generation) = generation {
            let kept = self.kept.0.read().unwrap_or_else(|e| e.into_inner());
            if let Some((_, answer)) = kept.get(name).filter(|(g, _)| *g == generation) {
                return Ok(answer.clone());
            }
        }
        let rendered = render(&mut *self.pool.get().await?).await?;
        if let Some(generation) = generation {
            let mut kept = self.kept.0.write().unwrap_or_else(|e| e.into_inner());
            if kept.get(name).is_none_or(|(g, _)| *g < generation) {
                kept.insert(name, (generation, rendered.clone()));
            }
        }
        Ok(rendered)
    }
}
