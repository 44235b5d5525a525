// Rust std's (stable) filesystem API on wasm32-wasi, against a writable directory mounted at guest "/".
// Prints "ok <name>" per check and panics (exit code 101) at the first failure.
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};

fn check(name: &str, cond: bool) {
    if !cond {
        panic!("FAIL {}", name);
    }
    println!("ok {}", name);
}

fn main() {
    let dir = "rust-work";
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(format!("{}/nested/deeper", dir)).unwrap();
    check("create_dir_all", fs::metadata(format!("{}/nested/deeper", dir)).unwrap().is_dir());

    let path = format!("{}/file.txt", dir);
    fs::write(&path, b"hello rust").unwrap();
    check("read_to_string", fs::read_to_string(&path).unwrap() == "hello rust");

    let mut f = OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(b"!").unwrap();
    check("append position", f.seek(SeekFrom::Current(0)).unwrap() == 11);
    drop(f);

    let mut f = OpenOptions::new().read(true).write(true).open(&path).unwrap();
    f.write_all(b"J").unwrap();
    let mut buf = [0u8; 4];
    f.seek(SeekFrom::Start(6)).unwrap();
    f.read_exact(&mut buf).unwrap();
    check("seek/read/write", &buf == b"rust");
    f.set_len(5).unwrap();
    check("set_len", f.metadata().unwrap().len() == 5);
    let mut s = String::new();
    f.seek(SeekFrom::Start(0)).unwrap();
    f.read_to_string(&mut s).unwrap();
    check("content", s == "Jello");
    f.sync_all().unwrap();
    drop(f);

    let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    check("read_dir", names == vec!["file.txt".to_string(), "nested".to_string()]);

    fs::rename(&path, format!("{}/renamed.txt", dir)).unwrap();
    check("rename", !std::path::Path::new(&path).exists());
    fs::copy(format!("{}/renamed.txt", dir), format!("{}/copy.txt", dir)).unwrap();
    check("copy", fs::read(format!("{}/copy.txt", dir)).unwrap() == b"Jello");

    check("metadata", fs::metadata(format!("{}/renamed.txt", dir)).unwrap().len() == 5);
    check("modified", fs::metadata(format!("{}/renamed.txt", dir)).unwrap().modified().is_ok());
    fs::hard_link(format!("{}/copy.txt", dir), format!("{}/hard.txt", dir)).unwrap();
    check("hard_link", fs::read(format!("{}/hard.txt", dir)).unwrap() == b"Jello");

    let e = File::open(format!("{}/missing", dir)).unwrap_err();
    check("NotFound", e.kind() == std::io::ErrorKind::NotFound);
    let e = fs::create_dir(format!("{}/nested", dir)).unwrap_err();
    check("AlreadyExists", e.kind() == std::io::ErrorKind::AlreadyExists);
    check("remove_dir non-empty fails", fs::remove_dir(format!("{}/nested", dir)).is_err());

    fs::remove_dir_all(dir).unwrap();
    check("remove_dir_all", !std::path::Path::new(dir).exists());
    println!("all ok");
}
