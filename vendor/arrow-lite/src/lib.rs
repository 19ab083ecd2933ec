//! The modules of the `arrow` facade that hold data, with the same paths, re-exported from
//! the crates that define them; the compute kernels are left out.

pub use arrow_buffer::{alloc, buffer};

/// Arrays and their builders.
pub mod array {
    pub use arrow_array::builder::*;
    pub use arrow_array::cast::*;
    pub use arrow_array::iterator::*;
    pub use arrow_array::*;
    pub use arrow_data::{ArrayData, ArrayDataBuilder, ArrayDataRef};
}

/// Data types and schemas.
pub mod datatypes {
    pub use arrow_array::types::*;
    pub use arrow_array::{ArrowNativeTypeOp, ArrowNumericType, ArrowPrimitiveType};
    pub use arrow_buffer::{ArrowNativeType, ToByteSlice, i256};
    pub use arrow_schema::{
        DataType, Field, FieldRef, Fields, IntervalUnit, Schema, SchemaBuilder, SchemaRef,
        TimeUnit, UnionFields, UnionMode,
    };
}

/// Errors.
pub mod error {
    pub use arrow_schema::ArrowError;

    pub type Result<T> = std::result::Result<T, ArrowError>;
}

/// Record batches.
pub mod record_batch {
    pub use arrow_array::{
        RecordBatch, RecordBatchIterator, RecordBatchOptions, RecordBatchReader, RecordBatchWriter,
    };
}
