//! Just enough of the WebAssembly binary format to answer one question: does
//! this module import a shared memory? (Section 2 lists imports; a memory
//! import's limits flag has bit 1 set when the memory is shared.)

pub fn imports_shared_memory(module: &[u8]) -> bool {
    let mut r = Reader { bytes: module, at: 8 };
    if module.get(..4) != Some(b"\0asm") {
        return false;
    }
    while r.at < module.len() {
        let (Some(id), Some(size)) = (r.byte(), r.leb()) else { return false };
        let end = r.at + size as usize;
        if id == 2 {
            return imports(&mut r).unwrap_or(false);
        }
        r.at = end;
    }
    false
}

fn imports(r: &mut Reader) -> Option<bool> {
    let count = r.leb()?;
    for _ in 0..count {
        r.name()?; // module
        r.name()?; // field
        match r.byte()? {
            0x00 => {
                r.leb()?; // function type index
            }
            0x01 => {
                r.byte()?; // reference type
                limits(r)?;
            }
            0x02 => {
                if limits(r)? & 0x02 != 0 {
                    return Some(true);
                }
            }
            0x03 => {
                r.byte()?; // value type
                r.byte()?; // mutability
            }
            0x04 => {
                r.byte()?; // tag attribute
                r.leb()?; // type index
            }
            _ => return None,
        }
    }
    Some(false)
}

fn limits(r: &mut Reader) -> Option<u8> {
    let flags = r.byte()?;
    r.leb()?;
    if flags & 0x01 != 0 {
        r.leb()?;
    }
    Some(flags)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn leb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn name(&mut self) -> Option<()> {
        let len = self.leb()? as usize;
        self.at = self.at.checked_add(len)?;
        (self.at <= self.bytes.len()).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::imports_shared_memory;

    /// A module whose only import is `env.memory` with the given limits flags.
    fn module(flags: u8) -> Vec<u8> {
        let mut import = vec![1, 3, b'e', b'n', b'v', 6, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, flags, 1];
        if flags & 1 != 0 {
            import.push(2);
        }
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.push(2);
        m.push(import.len() as u8);
        m.extend(import);
        m
    }

    #[test]
    fn detects_shared_and_unshared_memories() {
        assert!(imports_shared_memory(&module(0x03)));
        assert!(!imports_shared_memory(&module(0x01)));
        assert!(!imports_shared_memory(&module(0x00)));
        assert!(!imports_shared_memory(b"not wasm"));
        assert!(!imports_shared_memory(&module(0x03)[..14]));
    }
}
