//! Applied migrations never change: the SQL each backend runs for a version
//! is pinned here by its SHA-256, so a change of a single byte fails. Also:
//! the files and the list agree, and the template syntax refuses what it
//! does not know.

use super::template::{render, TemplateError, PLACEHOLDERS};
use super::MIGRATIONS;
use crate::Backend;
use sha2::{Digest, Sha256};

const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// The SHA-256 (hex) of the SQL each backend ran for a version. Versions 1
/// to 21 are the digests of the files `migrations/sqlite/NNNN_name.sql` and
/// `migrations/postgres/NNNN_name.sql` that these were kept in before each
/// migration became one file. Append a row for each new migration; never
/// edit a row: databases in use have run that SQL and will not run it again.
struct Applied {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
}

const APPLIED: &[Applied] = &[
    Applied {
        version: 1,
        sqlite: "f2ea2bb3910a84e1739d41e71ef18de549e6e475de809d4857eb653ea12d7e3b",
        postgres: "1c1190bc2097d111c45d594548ab10c918e6de219ab0cf4d02234a14740b6c9f",
    },
    Applied {
        version: 2,
        sqlite: "d183e29afacbe0724cd5f9bed9b3c14aa1354333ed48c0fced282bb486b53d96",
        postgres: "8bcaef8a4adbfe192b3ba7c66bc62fce38c597192ba61acd14ae6d5c8fe9ae58",
    },
    Applied {
        version: 3,
        sqlite: "721ed23ba7b2bbab5da5f05a845a03153fea5fcd4f1b5b849ea626a4f3343f61",
        postgres: "2a80e807c1a64a7892bcaf6d2965ad1542c3f99c422995c1993353ad7c98b2e3",
    },
    Applied {
        version: 4,
        sqlite: "64ecf539d739962adfd72844fc8bff89fe62c19541ed774fe43472fdff17e255",
        postgres: "64ecf539d739962adfd72844fc8bff89fe62c19541ed774fe43472fdff17e255",
    },
    Applied {
        version: 5,
        sqlite: "09489b67d196fd273cc21ec97ab6fa1dcec166e9ce9d1ac8db8e51747d2b8211",
        postgres: "6db70f3eac7f8aae6fe16c1f5837b31b999468a485e9214f6030a3cb1a40f0bc",
    },
    Applied {
        version: 6,
        sqlite: "9b907a86747a39a43fbed3d8980124a354f35cca1406e7ca4f3de2916e4e50bf",
        postgres: "1abe0f06f1a62725013f0cac9c9c4d743ac92467879a5dde16cfec6b19502f33",
    },
    Applied {
        version: 7,
        sqlite: "1028142060ac2edb313229f6df476df487d173206550aa25ee312d7957bf7bbf",
        postgres: "1028142060ac2edb313229f6df476df487d173206550aa25ee312d7957bf7bbf",
    },
    Applied {
        version: 8,
        sqlite: "36d6ecfb924e8e036b5c22a5863284e71cb8ea9374c1dcb759a1781903291f0b",
        postgres: "1ea6cbdb45fe3f7fbe0d1788b0beeb80b010d76c27e8db18878e2c12367001af",
    },
    Applied {
        version: 9,
        sqlite: "8880fc830da463838b688f8387e66aa21d48750168e7a26d9e70a5ad898045ff",
        postgres: "8880fc830da463838b688f8387e66aa21d48750168e7a26d9e70a5ad898045ff",
    },
    Applied {
        version: 10,
        sqlite: "c836b38dca9724af39d19eec6a46e5e9a12b263b81fa168f08288a95fd0bdedb",
        postgres: "c836b38dca9724af39d19eec6a46e5e9a12b263b81fa168f08288a95fd0bdedb",
    },
    Applied {
        version: 11,
        sqlite: "efb0448ac215b7989fc569cfe13fc4a2267ee7f070eff4581212efc4005b8f29",
        postgres: "efb0448ac215b7989fc569cfe13fc4a2267ee7f070eff4581212efc4005b8f29",
    },
    Applied {
        version: 12,
        sqlite: "3d0dabf25b562e735973bbea3231427e0d9b851dc281bc7992e5ec11d3517593",
        postgres: "3d0dabf25b562e735973bbea3231427e0d9b851dc281bc7992e5ec11d3517593",
    },
    Applied {
        version: 13,
        sqlite: "62d97f1c52c99b0bf503e70f4d78822de193fc28c86a8e81fa884b48e4fd8c7b",
        postgres: "a7d8cc806dd34dc1c044efcd0d66d6de37e98e930a4d3c2f70622ae702fd48ba",
    },
    Applied {
        version: 14,
        sqlite: "afd78ff644ae313b8ea26e06fb23d99e7e98f660115eb3b64d9793298593e59e",
        postgres: "afd78ff644ae313b8ea26e06fb23d99e7e98f660115eb3b64d9793298593e59e",
    },
    Applied {
        version: 15,
        sqlite: "662551b1052e638c4e65a0289d765d96d48c56bd7c8a320a4caa6f7213272c2e",
        postgres: "c18aea4d405d6be67b46fc3ba604e106da9e80aad940ee675246bdfd42451547",
    },
    Applied {
        version: 16,
        sqlite: "898e39cc95f55141647473db93e428a2ae13b62a703348f2a95fe740d1f0506e",
        postgres: "898e39cc95f55141647473db93e428a2ae13b62a703348f2a95fe740d1f0506e",
    },
    Applied {
        version: 17,
        sqlite: "dde59b9d2392d469798f903da0e392ec92623011f16ad0e6cfe666e294e9e348",
        postgres: "03e8c592ca7af2c1d97ee193a2ef464cb5c254c9ca8b4f7463bdac055ef4d50a",
    },
    Applied {
        version: 18,
        sqlite: "614f504c70cab74fa875df5b7dff7038be2fdb494ae4db8362151fbc566dee29",
        postgres: "fcd7077db7235f3d3ae38aa348eb7b6d71b1cffafd60041de287a226b6a89ee6",
    },
    Applied {
        version: 19,
        sqlite: "d367828c438b5f01bf1ce4c7729f810d5110f314f8f2279c558b66a009917a27",
        postgres: "802b9296b67b7976dda5990001e75d4ebde4ff7067346179c9fd983922315510",
    },
    Applied {
        version: 20,
        sqlite: "24090f7959900f97ba95a11cd35365a2051f743d6384398db8bdc11790a75c86",
        postgres: "b6acbd861e48c511fa35cab295f9639ce5b8daee640ea3fb41cc0d2b91002279",
    },
    Applied {
        version: 21,
        sqlite: "8748f266efa92521deb3a63ae1ed4da7222fe447db620ca267de6a26df9e2d24",
        postgres: "eccb295182c6493da1bbf259804f942efc95fb2a84162e9a334fe28fb09ac8bb",
    },
    Applied {
        version: 22,
        sqlite: "b0c646d610af9071edf7992d0ef0dcb92f7435fcd5a4bbb41a6637921fabe649",
        postgres: "b0c646d610af9071edf7992d0ef0dcb92f7435fcd5a4bbb41a6637921fabe649",
    },
    Applied {
        version: 23,
        sqlite: "0a03e70bfa2cbd8720f99abb0c94a3ca7798e18c4026f413b20a33a470d4a6e8",
        postgres: "35068d0d6a39939643d59b5379ce6ed2b211436b750e7bea106ed8dd53976c4a",
    },
    Applied {
        version: 24,
        sqlite: "3a6c0ba88e6bb55b563e0c33cae49570b9ebcaa4d379a55e840f85a3068316ed",
        postgres: "5d644e4e1299e435b3267e8e3f01b8f906c13ea1e2409360073752235c0022da",
    },
    Applied {
        version: 25,
        sqlite: "3f2350c45c3a63c0f3dac713878a8576c2a92e8ef8d308490e08a5f853d84281",
        postgres: "3f2350c45c3a63c0f3dac713878a8576c2a92e8ef8d308490e08a5f853d84281",
    },
    Applied {
        version: 26,
        sqlite: "03990af6e92718d075b16300b97a87d01227b72a5374169c90467afb454cd6bb",
        postgres: "36ccf78f65196f62955ff845d18a0e1b3e521a230822146905d4205d22054f48",
    },
    Applied {
        version: 27,
        sqlite: "2b4d9f094944d9be5075747171ac76f33bcdb4f42cbcadb98eefe1d7abe2f104",
        postgres: "3e4a8051e3fec653118b85b250e857c56b4a3a940c21d88b8da0e54c3633e1a0",
    },
    Applied {
        version: 28,
        sqlite: "c2cff895038c0c075033006f413d1aa405588b9d3efb046b313fae4e0f82a038",
        postgres: "c2cff895038c0c075033006f413d1aa405588b9d3efb046b313fae4e0f82a038",
    },
    Applied {
        version: 29,
        sqlite: "bd4e4d0fb07dd0ac807e59b67537b2fb7c8b58da13a069a243cd790892f2951c",
        postgres: "bd4e4d0fb07dd0ac807e59b67537b2fb7c8b58da13a069a243cd790892f2951c",
    },
    Applied {
        version: 30,
        sqlite: "f25a50c8d260687ec0a9097ca75389445e8307cb2048acc0e2892314beec721f",
        postgres: "fe2928d6d76e3e1ec22f9b75faeba721ca9a9c12df78a81fc4cf574633180c4e",
    },
    Applied {
        version: 31,
        sqlite: "9dd4baf784b0d5c480c974f51eef7a3102464cb61200747eb365222c54c6bd7c",
        postgres: "9dd4baf784b0d5c480c974f51eef7a3102464cb61200747eb365222c54c6bd7c",
    },
    Applied {
        version: 32,
        sqlite: "c550f1715b1ae92bc132a5d77efecaa879fca6e13fbff84a5c73aebdc91c0bff",
        postgres: "efb65174ef9f492aea8d0c227135a8992a9a8b465fb7f8517aa48fbf80a89c18",
    },
    Applied {
        version: 33,
        sqlite: "bdb65e4cc6d3966b04778ead42cbed2fa9dfdc61ba2e9a72585e4ceb517c6980",
        postgres: "bdb65e4cc6d3966b04778ead42cbed2fa9dfdc61ba2e9a72585e4ceb517c6980",
    },
    Applied {
        version: 34,
        sqlite: "f041d1f55b28d0a754d4e801a1c5ddb6ab421ee9c8fe439bbdea9a2ca1542794",
        postgres: "ff7717d6ee49a1fa5258c22b3893cd5114cc2294b0a370e0d62eb833431b2316",
    },
    Applied {
        version: 35,
        sqlite: "fa686292adb42880de0f98c901a63d15c181692bf61b5b5e26f6d446616d6a58",
        postgres: "fa686292adb42880de0f98c901a63d15c181692bf61b5b5e26f6d446616d6a58",
    },
    Applied {
        version: 36,
        sqlite: "1c50a334256966eda3d1b09349a2540110341c2344bb89987aba42c43f5628f4",
        postgres: "1c50a334256966eda3d1b09349a2540110341c2344bb89987aba42c43f5628f4",
    },
    Applied {
        version: 37,
        sqlite: "6e2748c6f6c56e992be1a3f19fa1555e169556f4b5a63ed8dc433eab5fd34695",
        postgres: "e551cdfd74b58f6581bcc222457361c5cbdb0926afeb1b5f56624130a6a96016",
    },
    Applied {
        version: 38,
        sqlite: "8d51998bdba40d5f2ffc0ae9f1d520dd8f66d5554f86639ff570f9c8c6557abd",
        postgres: "df47fa8c9805b4848c1ac72daabad8f3e320292bcce9ff5454b913970860b456",
    },
    Applied {
        version: 39,
        sqlite: "37517b730869ca469a055899fec32f3ce85aad072276d1d7ef77169468956364",
        postgres: "37517b730869ca469a055899fec32f3ce85aad072276d1d7ef77169468956364",
    },
    Applied {
        version: 40,
        sqlite: "ddc4aabef9e46ad4693d7b84e430ece61028130d25c63881b4f9981422e4f972",
        postgres: "7f502eb2c6ec5eb10b7aaf8717102791e891788159882eaa02f4795827d96f65",
    },
    Applied {
        version: 41,
        sqlite: "1977287329f8b8826b9fc9a474ea76cb71eb3141df647da6c9b68915bda49994",
        postgres: "b0748d62891b8bd1e4925b6deddddac8839ddbd1101fb553a1797e67d80670a3",
    },
    Applied {
        version: 42,
        sqlite: "17750118b7432077e0b48dfd287c4249afbff73e5ee4b2791c10fea601eda210",
        postgres: "17750118b7432077e0b48dfd287c4249afbff73e5ee4b2791c10fea601eda210",
    },
    Applied {
        version: 43,
        sqlite: "c5c0c27d23fe43a9e00ca63457718bed154a65829267bdf1f3b1d4166c8cba88",
        postgres: "c5c0c27d23fe43a9e00ca63457718bed154a65829267bdf1f3b1d4166c8cba88",
    },
    Applied {
        version: 44,
        sqlite: "8bb326f3af9394390e44794696696063922712dd24136b231c1235bd9c213366",
        postgres: "8bb326f3af9394390e44794696696063922712dd24136b231c1235bd9c213366",
    },
    Applied {
        version: 45,
        sqlite: "5833e372b49b397150c4449c9b10a3dcf0a3f8629e201d976f5560f28b179549",
        postgres: "5833e372b49b397150c4449c9b10a3dcf0a3f8629e201d976f5560f28b179549",
    },
];

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn rendered(m: &super::Migration, backend: Backend) -> String {
    match m.sql(backend) {
        Ok(sql) => sql,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn every_migration_has_a_pinned_digest() {
    let listed: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    let pinned: Vec<i64> = APPLIED.iter().map(|a| a.version).collect();
    let new: Vec<String> = MIGRATIONS
        .iter()
        .filter(|m| !pinned.contains(&m.version))
        .map(|m| {
            format!(
                "    Applied {{\n        version: {},\n        sqlite: \"{}\",\n        \
                 postgres: \"{}\",\n    }},",
                m.version,
                sha256_hex(&rendered(m, Backend::Sqlite)),
                sha256_hex(&rendered(m, Backend::Postgres)),
            )
        })
        .collect();
    assert_eq!(
        listed,
        pinned,
        "APPLIED must pin every migration; for a new one append, once its SQL is final:\n{}",
        new.join("\n")
    );
}

#[test]
fn applied_migrations_are_unchanged_byte_for_byte() {
    let mut changed = Vec::new();
    for (m, a) in MIGRATIONS.iter().zip(APPLIED) {
        for (backend, want) in [(Backend::Sqlite, a.sqlite), (Backend::Postgres, a.postgres)] {
            let got = sha256_hex(&rendered(m, backend));
            if got != want {
                changed.push(format!("{:04}_{} on {backend:?}: {got}", m.version, m.name));
            }
        }
    }
    assert!(
        changed.is_empty(),
        "applied migrations changed:\n{}",
        changed.join("\n")
    );
}

#[test]
fn the_list_holds_every_file_in_order() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("migrations directory")
        .map(|entry| {
            let entry = entry.expect("directory entry");
            assert!(entry.path().is_file(), "not a migration file: {entry:?}");
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    files.sort();
    let listed: Vec<String> = MIGRATIONS
        .iter()
        .map(|m| format!("{:04}_{}.sql", m.version, m.name))
        .collect();
    assert_eq!(
        files, listed,
        "every file in migrations/ is listed, by its name"
    );
    for (position, m) in MIGRATIONS.iter().enumerate() {
        assert_eq!(m.version, position as i64 + 1, "versions count up from 1");
        let file = std::fs::read_to_string(dir.join(&listed[position])).expect("file");
        assert_eq!(m.template, file, "{} embeds its own file", listed[position]);
    }
}

#[test]
fn rendered_migrations_keep_no_template_syntax() {
    for m in MIGRATIONS {
        for backend in BACKENDS {
            let sql = rendered(m, backend);
            let left = sql.lines().any(|l| l.starts_with("-- @"))
                || PLACEHOLDERS
                    .iter()
                    .any(|p| sql.contains(&format!("{{{}}}", p.name)));
            assert!(!left, "{:04}_{} on {backend:?}", m.version, m.name);
        }
    }
}

fn error(line: usize, problem: &str) -> Result<String, TemplateError> {
    Err(TemplateError {
        line,
        problem: problem.into(),
    })
}

#[test]
fn placeholders_render_per_backend() {
    let template = "-- {backend}\nCREATE TABLE t (\n    id {id},\n    j TEXT DEFAULT '{{}}'\n);\n";
    assert_eq!(
        render(template, Backend::Sqlite),
        Ok("-- SQLite\nCREATE TABLE t (\n    id INTEGER PRIMARY KEY,\n    j TEXT DEFAULT '{}'\n);\n".into())
    );
    assert_eq!(
        render(template, Backend::Postgres),
        Ok("-- PostgreSQL\nCREATE TABLE t (\n    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n    \
            j TEXT DEFAULT '{}'\n);\n"
            .into())
    );
}

#[test]
fn an_unknown_placeholder_is_an_error() {
    for backend in BACKENDS {
        let template = "CREATE TABLE t (\n    id {id},\n    data {blob}\n);\n";
        assert_eq!(
            render(template, backend),
            error(3, "unknown placeholder `{blob}`")
        );
        assert_eq!(
            render("SELECT '{id';\n", backend),
            error(1, "a `{` with no closing `}` (write `{{` for a brace)")
        );
        assert_eq!(
            render("SELECT 'id}';\n", backend),
            error(1, "a lone `}` (write `}}` for a brace)")
        );
    }
}

#[test]
fn sections_keep_their_backend_only() {
    let template = "A;\n-- @note why\n-- @sqlite\nS;\n-- @postgres\nP1;\nP2;\n-- @end\nB;\n-- @postgres\nP3;\n-- @end\n";
    assert_eq!(render(template, Backend::Sqlite), Ok("A;\nS;\nB;\n".into()));
    assert_eq!(
        render(template, Backend::Postgres),
        Ok("A;\nP1;\nP2;\nB;\nP3;\n".into())
    );
}

#[test]
fn a_broken_section_is_an_error() {
    for backend in BACKENDS {
        assert_eq!(
            render("A;\n-- @sqlite\nS;\n", backend),
            error(2, "section not closed by `-- @end`")
        );
        assert_eq!(
            render("A;\n-- @end\n", backend),
            error(2, "`-- @end` outside a section")
        );
        assert_eq!(
            render("-- @postgres\n-- @postgres\n-- @end\n", backend),
            error(2, "`-- @postgres` inside its own section")
        );
        assert_eq!(
            render("-- @mysql\nM;\n-- @end\n", backend),
            error(1, "unknown template line `-- @mysql`")
        );
        // The other backend's section is checked too.
        assert_eq!(
            render(
                "-- @sqlite\nS {blob};\n-- @postgres\nP {blob};\n-- @end\n",
                backend
            ),
            error(2, "unknown placeholder `{blob}`")
        );
    }
}
