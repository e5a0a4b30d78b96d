//! The S3 target (`trangtin deploy --to s3://bucket/prefix`): Amazon S3 or any
//! S3-compatible store (MinIO, Viettel's or VNPT's object storage, ...) through
//! object_store. Each file is one PUT (an object is replaced whole or not at all) with its
//! `Content-Type` and `Cache-Control`, a few at once on a small tokio runtime (a file over
//! 32 MiB goes up in parts, visible only once complete); the manifest is the object
//! `<prefix>/.trangtin-deploy.tsv`.

use super::credentials::{self, Setting};
use super::manifest::{self, Manifest, MANIFEST};
use super::source::SourceFile;
use super::target::Target;
use crate::error::{Error, Problem, Result};
use crate::file_types::{cache_control, content_type};
use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, ObjectStore, ObjectStoreExt, PutMultipartOptions, PutOptions,
    PutPayload, RetryConfig, WriteMultipart,
};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// Uploads in flight at once.
const CONCURRENT_PUTS: usize = 8;

/// Files larger than this go up in parts (a video): never whole in memory, 8 at once.
const MULTIPART_FROM: u64 = 32 * 1024 * 1024;

/// The size of each part of a multipart upload (S3 wants at least 5 MiB but for the last).
const PART_SIZE: usize = 8 * 1024 * 1024;

/// A bucket, and the prefix under which the site goes (empty: the bucket's root).
pub struct S3Target {
    bucket: String,
    prefix: String,
    store: AmazonS3,
    runtime: tokio::runtime::Runtime,
    /// The size of each object under the prefix, listed by `read_manifest`.
    present: HashMap<String, u64>,
    /// Files larger than this many bytes are uploaded in parts.
    multipart_from: u64,
}

impl S3Target {
    /// Connects to `bucket` with the settings of the environment and of the credentials
    /// `file` (refused inside one of `refused`: the site's folder, the build output).
    /// Nothing is sent yet.
    pub fn open(
        bucket: &str,
        prefix: &str,
        file: Option<&Path>,
        refused: &[&Path],
    ) -> Result<Self> {
        let settings = credentials::gather(file, refused)?;
        Self::with_settings(bucket, prefix, settings, file)
    }

    fn with_settings(
        bucket: &str,
        prefix: &str,
        settings: Vec<Setting>,
        file: Option<&Path>,
    ) -> Result<Self> {
        let describe = format!("s3://{bucket}/{prefix}");
        let setup = |message: String| {
            Error::Input(vec![Problem::error(
                file.map_or_else(|| Path::new(&describe).to_path_buf(), Path::to_path_buf),
                message,
            )])
        };
        if !settings
            .iter()
            .any(|(key, _)| *key == AmazonS3ConfigKey::AccessKeyId)
        {
            return Err(setup(
                "no credentials for the store: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                 in the environment, or give a file outside the site with --credentials FILE"
                    .into(),
            ));
        }
        // reqwest's TLS (rustls) with ring as its cryptography; a second call is a no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region("us-east-1")
            .with_retry(RetryConfig {
                max_retries: 4,
                retry_timeout: Duration::from_secs(60),
                ..RetryConfig::default()
            });
        for (key, value) in settings {
            builder = builder.with_config(key, value);
        }
        let store = builder
            .build()
            .map_err(|e| setup(format!("cannot use this store: {e}")))?;
        let runtime = super::upload_runtime()?;
        Ok(S3Target {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            store,
            runtime,
            present: HashMap::new(),
            multipart_from: MULTIPART_FROM,
        })
    }

    /// Uploads files larger than `bytes` in parts of 8 MiB (default: larger than 32 MiB).
    pub fn with_multipart_from(mut self, bytes: u64) -> Self {
        self.multipart_from = bytes;
        self
    }

    /// Uploads one file of the output as the object `key`, with its headers.
    async fn upload(&self, source: &Path, file: &SourceFile) -> Result<()> {
        let relative = file.relative.as_str();
        let key = self.key(relative)?;
        let path = source.join(relative);
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type(relative).into());
        attributes.insert(Attribute::CacheControl, cache_control(relative).into());
        if file.content.size <= self.multipart_from {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let options = PutOptions {
                attributes,
                ..PutOptions::default()
            };
            self.store
                .put_opts(&key, PutPayload::from(bytes), options)
                .await
                .map_err(self.fail(relative))?;
            return Ok(());
        }
        let options = PutMultipartOptions {
            attributes,
            ..PutMultipartOptions::default()
        };
        let upload = self
            .store
            .put_multipart_opts(&key, options)
            .await
            .map_err(self.fail(relative))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        match write_parts(&mut writer, &path).await {
            Ok(()) => {
                writer.finish().await.map_err(self.fail(relative))?;
                Ok(())
            }
            Err(error) => {
                // No half-uploaded parts left behind in the bucket (they cost storage).
                let _ = writer.abort().await;
                Err(error.into_error(&path, self.fail(relative)))
            }
        }
    }

    /// The object's key for a path under the output.
    fn key(&self, relative: &str) -> Result<ObjectPath> {
        let full = if self.prefix.is_empty() {
            relative.to_string()
        } else {
            format!("{}/{relative}", self.prefix)
        };
        ObjectPath::parse(&full).map_err(|e| {
            Error::Input(vec![Problem::error(
                relative,
                format!("cannot be an object's name: {e}"),
            )])
        })
    }

    fn fail(&self, relative: &str) -> impl Fn(object_store::Error) -> Error + '_ {
        let target = format!("{}/{relative}", self.describe().trim_end_matches('/'));
        move |error| Error::Store {
            target: target.clone(),
            summary: summary(&error),
            error: Box::new(error),
        }
    }
}

impl Target for S3Target {
    fn describe(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.prefix)
    }

    fn read_manifest(&mut self) -> Result<Manifest> {
        let prefix = (!self.prefix.is_empty()).then(|| ObjectPath::from(self.prefix.as_str()));
        let listed: Vec<object_store::ObjectMeta> = self
            .runtime
            .block_on(self.store.list(prefix.as_ref()).try_collect())
            .map_err(self.fail(""))?;
        let strip = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        self.present = listed
            .into_iter()
            .filter_map(|meta| {
                let key = meta.location.as_ref().strip_prefix(&strip)?.to_string();
                Some((key, meta.size))
            })
            .collect();
        if !self.present.contains_key(MANIFEST) {
            return Ok(Manifest::new());
        }
        let key = self.key(MANIFEST)?;
        let bytes = self
            .runtime
            .block_on(async { self.store.get(&key).await?.bytes().await })
            .map_err(self.fail(MANIFEST))?;
        let name = format!("{}/{MANIFEST}", self.describe().trim_end_matches('/'));
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
            Error::Input(vec![Problem::error(
                &name,
                "the manifest is not UTF-8 text; delete the object to deploy everything anew",
            )])
        })?;
        manifest::parse(&text, Path::new(&name))
    }

    fn is_in_place(&self, relative: &str, size: u64) -> bool {
        self.present.get(relative) == Some(&size)
    }

    fn prepare(&mut self) -> Result<()> {
        Ok(())
    }

    fn put(&mut self, source: &Path, files: &[&SourceFile]) -> Result<()> {
        let this: &S3Target = self;
        let uploads = files.iter().map(|file| this.upload(source, file));
        let all = futures::stream::iter(uploads)
            .buffer_unordered(CONCURRENT_PUTS)
            .try_collect::<Vec<()>>();
        this.runtime.block_on(all)?;
        for file in files {
            self.present
                .insert(file.relative.clone(), file.content.size);
        }
        Ok(())
    }

    fn delete(&mut self, relative: &str) -> Result<()> {
        let key = self.key(relative)?;
        match self.runtime.block_on(self.store.delete(&key)) {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(self.fail(relative)(e)),
        }
        self.present.remove(relative);
        Ok(())
    }

    fn write_manifest(&mut self, manifest: &Manifest) -> Result<()> {
        let key = self.key(MANIFEST)?;
        let text = manifest::render(manifest);
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, "text/plain; charset=utf-8".into());
        attributes.insert(Attribute::CacheControl, "no-store".into());
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let size = text.len() as u64;
        self.runtime
            .block_on(
                self.store
                    .put_opts(&key, PutPayload::from(text.into_bytes()), options),
            )
            .map_err(self.fail(MANIFEST))?;
        self.present.insert(MANIFEST.to_string(), size);
        Ok(())
    }

    fn has_manifest(&self) -> bool {
        self.present.contains_key(MANIFEST)
    }
}

/// Why writing the parts of a file stopped.
enum PartError {
    Read(std::io::Error),
    Store(object_store::Error),
}

impl PartError {
    fn into_error(self, path: &Path, fail: impl Fn(object_store::Error) -> Error) -> Error {
        match self {
            PartError::Read(e) => Error::io(path, e),
            PartError::Store(e) => fail(e),
        }
    }
}

/// Reads the file at `path` into `writer`, two parts in flight at most.
async fn write_parts(
    writer: &mut WriteMultipart,
    path: &Path,
) -> std::result::Result<(), PartError> {
    let mut file = std::fs::File::open(path).map_err(PartError::Read)?;
    let mut buffer = vec![0u8; 1024 * 1024];
    loop {
        let n = file.read(&mut buffer).map_err(PartError::Read)?;
        if n == 0 {
            return Ok(());
        }
        writer
            .wait_for_capacity(2)
            .await
            .map_err(PartError::Store)?;
        writer.write(&buffer[..n]);
    }
}

/// An object_store error on one line: its text up to the store's XML answer, then the
/// answer's code and message, and what to do for the usual mistakes.
fn summary(error: &object_store::Error) -> String {
    let text = error.to_string();
    let (head, xml) = text.split_once("<?xml").unwrap_or((&text, ""));
    let mut line = head.trim_end_matches([' ', ':', '\n']).replace('\n', " ");
    let tag = |name: &str| {
        let rest = xml.split_once(&format!("<{name}>"))?.1;
        Some(rest.split_once(&format!("</{name}>"))?.0.to_string())
    };
    if let Some(code) = tag("Code") {
        line.push_str(&format!(
            " ({code}: {})",
            tag("Message").unwrap_or_default()
        ));
        let hint = match code.as_str() {
            "NoSuchBucket" => Some("create the bucket first: trangtin deploy does not create it"),
            "AccessDenied" | "InvalidAccessKeyId" | "SignatureDoesNotMatch" => Some(
                "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION, and that the \
                 key may list, put and delete objects in this bucket",
            ),
            _ => None,
        };
        if let Some(hint) = hint {
            line.push_str(": ");
            line.push_str(hint);
        }
    }
    line
}

/// `bucket/prefix` of an `s3://` address, checked: a bucket name S3 takes, a prefix of
/// plain path segments.
pub(crate) fn parse_address(rest: &str) -> std::result::Result<(String, String), String> {
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let prefix = prefix.trim_end_matches('/');
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !bucket.starts_with(['-', '.'])
        && !bucket.ends_with(['-', '.']);
    if !bucket_ok {
        return Err(format!(
            "`{bucket}` is not a bucket name (3 to 63 lower-case letters, digits, `-` and `.`): \
             write s3://BUCKET or s3://BUCKET/PREFIX"
        ));
    }
    if !prefix.is_empty() {
        if let Some(problem) = crate::routes::output_path_problem(prefix) {
            return Err(format!("the prefix `{prefix}`: {problem}"));
        }
    }
    Ok((bucket.to_string(), prefix.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_a_bucket_and_a_prefix() {
        assert_eq!(
            parse_address("tin-tuc/web/site/"),
            Ok(("tin-tuc".into(), "web/site".into()))
        );
        assert_eq!(parse_address("tin-tuc"), Ok(("tin-tuc".into(), "".into())));
        for bad in [
            "",
            "ab",
            "Tin",
            "tin_tuc/x",
            "-tin/x",
            "tin/../x",
            "tin/a//b",
        ] {
            assert!(parse_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_store_error_is_one_line_with_the_stores_code_and_a_hint() {
        let error = object_store::Error::Generic {
            store: "S3",
            source: "Error performing GET http://h/b?list-type=2 - Server returned non-2xx \
                     status code: 404 Not Found: <?xml version=\"1.0\"?>\n<Error><Code>\
                     NoSuchBucket</Code><Message>The specified bucket does not exist</Message>\
                     </Error>"
                .into(),
        };
        let line = summary(&error);
        assert!(!line.contains('\n') && !line.contains("<?xml"), "{line}");
        assert!(line.contains("404 Not Found (NoSuchBucket: The specified bucket does not exist): create the bucket first"), "{line}");
    }

    #[test]
    fn a_store_without_credentials_is_refused_before_any_request() {
        let err = S3Target::with_settings("tin-tuc", "", Vec::new(), None)
            .err()
            .unwrap();
        assert!(err.to_string().contains("AWS_ACCESS_KEY_ID"), "{err}");
    }
}
