// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Keypad } from '../../src-renderer/components/Keypad';

afterEach(cleanup);

describe('the keypad', () => {
  it('has a button for every digit, +, Delete and Clear, named as a screen reader says them', () => {
    render(<Keypad label="Keypad" deleteLabel="Delete" clearLabel="Clear" onKey={() => {}} onDelete={() => {}} onClear={() => {}} />);
    const group = screen.getByRole('group', { name: 'Keypad' });
    const names = [...group.querySelectorAll('button')].map((button) => button.getAttribute('aria-label') ?? button.textContent);
    expect(names).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0', 'Delete', 'Clear']);
  });

  it('reports each tap, and stops taking taps while busy', () => {
    const onKey = vi.fn();
    const onDelete = vi.fn();
    const onClear = vi.fn();
    const { rerender } = render(<Keypad label="Keypad" deleteLabel="Delete" clearLabel="Clear" onKey={onKey} onDelete={onDelete} onClear={onClear} />);
    fireEvent.click(screen.getByRole('button', { name: '7' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(onKey).toHaveBeenCalledWith('7');
    expect(onDelete).toHaveBeenCalledOnce();
    expect(onClear).toHaveBeenCalledOnce();
    rerender(<Keypad label="Keypad" deleteLabel="Delete" clearLabel="Clear" onKey={onKey} onDelete={onDelete} onClear={onClear} disabled />);
    fireEvent.click(screen.getByRole('button', { name: '8' }));
    expect(onKey).toHaveBeenCalledTimes(1);
  });
});
